/**
 * SV filters from HTTP query parameters, validated, and the parameterised
 * Cosmos DB query they become. A bad parameter is a RequestError naming the
 * parameter, the value and what is accepted. Coordinates in `region` are
 * 1-based inclusive (the HTTP edge) and become 0-based half-open here.
 */
import type { SvType } from './contracts';
import { RequestError } from './errors';
import { normaliseChromosome } from './genome/contigs';
import { parseReviewFilter, type ReviewFilterValue } from './review';

export const SV_TYPES: readonly SvType[] = ['DEL', 'DUP', 'INV', 'INS', 'BND', 'CNV'];
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface SvFilters {
  chromosome?: string;
  /** 0-based half-open. */
  region?: { chromosome: string; start: number; end: number };
  types?: SvType[];
  minSize?: number;
  minScore?: number;
  passOnly: boolean;
  pageSize: number;
  continuationToken?: string;
  /** `review=`: review states to keep (`unreviewed` for SVs without a review); resolved to `callIds` by the handler. */
  reviewStates?: ReviewFilterValue[];
  /** Calls to keep (`include`) or to leave out, by call id. */
  callIds?: { ids: string[]; include: boolean };
}

const KNOWN = new Set(['chromosome', 'region', 'type', 'minSize', 'minScore', 'pass', 'pageSize', 'continuationToken', 'review']);

function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new RequestError(name, `'${raw}' is not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new RequestError(name, `${n} is out of range (${min}–${max})`);
  return n;
}

function parseChromosome(name: string, raw: string): string {
  const c = normaliseChromosome(raw);
  // Non-human contigs (panels, other species) are queried under their own names.
  if (c === null && !/^[A-Za-z0-9_.|-]{1,64}$/.test(raw)) {
    throw new RequestError(name, `'${raw}' is not a chromosome name (use 1–22, X, Y, M, with or without 'chr')`);
  }
  return c ?? raw;
}

export function parseSvFilters(params: URLSearchParams): SvFilters {
  for (const key of params.keys()) {
    if (!KNOWN.has(key)) throw new RequestError(key, `unknown parameter; accepted: ${[...KNOWN].join(', ')}`);
  }
  const filters: SvFilters = { passOnly: false, pageSize: DEFAULT_PAGE_SIZE };
  const chromosome = params.get('chromosome');
  if (chromosome !== null) filters.chromosome = parseChromosome('chromosome', chromosome);

  const region = params.get('region');
  if (region !== null) {
    const m = /^([^:]+):([\d,]+)-([\d,]+)$/.exec(region);
    if (!m) throw new RequestError('region', `'${region}' is not a region; write chr:start-end, e.g. 7:72700000-74200000 (1-based, inclusive)`);
    const start1 = parseInteger('region', m[2]!.replace(/,/g, ''), 1, 1e10);
    const end1 = parseInteger('region', m[3]!.replace(/,/g, ''), 1, 1e10);
    if (end1 < start1) throw new RequestError('region', `end ${end1} is before start ${start1}`);
    filters.region = { chromosome: parseChromosome('region', m[1]!), start: start1 - 1, end: end1 };
    if (filters.chromosome !== undefined && filters.chromosome !== filters.region.chromosome) {
      throw new RequestError('region', `chromosome ${filters.region.chromosome} contradicts chromosome=${filters.chromosome}`);
    }
  }

  const type = params.get('type');
  if (type !== null) {
    const types = type.split(',').map((t) => t.trim().toUpperCase());
    for (const t of types) {
      if (!SV_TYPES.includes(t as SvType)) throw new RequestError('type', `'${t}' is not an SV type; accepted: ${SV_TYPES.join(', ')}`);
    }
    filters.types = types as SvType[];
  }

  const minSize = params.get('minSize');
  if (minSize !== null) filters.minSize = parseInteger('minSize', minSize, 0, 1e10);

  const minScore = params.get('minScore');
  if (minScore !== null) {
    const n = Number(minScore);
    if (minScore.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
      throw new RequestError('minScore', `'${minScore}' is not a score between 0 and 1`);
    }
    filters.minScore = n;
  }

  const pass = params.get('pass');
  if (pass !== null) {
    if (pass !== 'true' && pass !== 'false') throw new RequestError('pass', `'${pass}' must be true or false`);
    filters.passOnly = pass === 'true';
  }

  const pageSize = params.get('pageSize');
  if (pageSize !== null) filters.pageSize = parseInteger('pageSize', pageSize, 1, MAX_PAGE_SIZE);

  const token = params.get('continuationToken');
  if (token !== null) {
    if (token.length === 0 || token.length > 4096) throw new RequestError('continuationToken', 'is empty or too long');
    filters.continuationToken = token;
  }

  const review = params.get('review');
  if (review !== null) filters.reviewStates = parseReviewFilter(review);
  return filters;
}

export interface QuerySpec {
  query: string;
  parameters: { name: string; value: string | number | boolean | string[] }[];
}

/**
 * The parameterised query for one sample's calls of one run. It always
 * filters on the partition key in the text (the local Cosmos API server
 * ignores the partition key option on queries).
 */
export function buildSvQuery(sampleId: string, runId: string, f: SvFilters): QuerySpec {
  const where = ['c.sampleId = @sampleId', 'c.runId = @runId'];
  const parameters: QuerySpec['parameters'] = [
    { name: '@sampleId', value: sampleId },
    { name: '@runId', value: runId },
  ];
  if (f.chromosome !== undefined) {
    where.push('c.chromosome = @chromosome');
    parameters.push({ name: '@chromosome', value: f.chromosome });
  }
  if (f.region) {
    // Overlap: the call starts before the region ends and ends after it starts.
    where.push('c.chromosome = @regionChromosome', 'c.start < @regionEnd', 'c["end"] > @regionStart');
    parameters.push(
      { name: '@regionChromosome', value: f.region.chromosome },
      { name: '@regionStart', value: f.region.start },
      { name: '@regionEnd', value: f.region.end },
    );
  }
  if (f.types) {
    where.push('ARRAY_CONTAINS(@types, c.type)');
    parameters.push({ name: '@types', value: f.types });
  }
  if (f.minSize !== undefined) {
    where.push('c.svlen >= @minSize');
    parameters.push({ name: '@minSize', value: f.minSize });
  }
  if (f.minScore !== undefined) {
    where.push('c.score >= @minScore');
    parameters.push({ name: '@minScore', value: f.minScore });
  }
  if (f.passOnly) where.push("c.filter = 'PASS'");
  if (f.callIds) {
    where.push(f.callIds.include ? 'ARRAY_CONTAINS(@callIds, c.callId)' : 'NOT ARRAY_CONTAINS(@callIds, c.callId)');
    parameters.push({ name: '@callIds', value: f.callIds.ids });
  }
  return { query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.sortKey`, parameters };
}

/** Genome order for listing: chromosome rank, then position. */
export function svSortKey(chromosomeRank: number, start: number): number {
  // 1e10 exceeds every human chromosome length, so ranks never interleave.
  return chromosomeRank * 1e10 + start;
}
