/**
 * The sample record and the SV documents, built from analysis results. Pure:
 * the adapters store what these functions return.
 */
import type {
  AnalyzeGenomeInput,
  RecordSampleStatusInput,
  SampleDocument,
  SvCall,
  SvDocument,
} from './contracts';
import { chromosomeRank, normaliseChromosome } from './genome/contigs';
import { svSortKey } from './svQuery';

export function newSampleDocument(input: AnalyzeGenomeInput, now: Date): SampleDocument {
  return {
    id: input.sampleId,
    sampleId: input.sampleId,
    runId: input.runId,
    revision: 0,
    status: 'queued',
    stage: input.genome.bai === null ? 'waiting-for-index' : 'queued',
    progress: { done: 0, total: 0 },
    genome: input.genome,
    build: null,
    library: null,
    prescreen: null,
    countsByType: {},
    totalCalls: 0,
    warnings: [],
    error: null,
    timings: { queuedAt: now.toISOString(), startedAt: null, finishedAt: null, seconds: null },
    results: null,
    updatedAt: now.toISOString(),
  };
}

/**
 * The record after a status change of run `input.runId`. Returns null when the
 * record belongs to another (newer) run: a stale run never overwrites it.
 */
export function applyStatus(doc: SampleDocument, input: RecordSampleStatusInput, now: Date): SampleDocument | null {
  if (doc.runId !== input.runId) return null;
  const next: SampleDocument = { ...doc, status: input.status, stage: input.stage, updatedAt: now.toISOString() };
  if (input.status === 'running' && doc.timings.startedAt === null) {
    next.timings = { ...doc.timings, startedAt: now.toISOString() };
  }
  if (input.library) next.library = input.library;
  if (input.unitsTotal !== undefined) next.progress = { done: 0, total: input.unitsTotal };
  if (input.prescreen !== undefined) next.prescreen = input.prescreen;
  if (input.build !== undefined) next.build = input.build;
  if (input.warnings) next.warnings = [...new Set([...doc.warnings, ...input.warnings])];
  if (input.status === 'failed') {
    next.error = input.error ?? { code: 'UNKNOWN', message: 'the analysis failed without a reason' };
    next.timings = finish(next.timings, now);
  }
  return next;
}

export function finish(timings: SampleDocument['timings'], now: Date): SampleDocument['timings'] {
  const from = timings.startedAt ?? timings.queuedAt;
  return { ...timings, finishedAt: now.toISOString(), seconds: (now.getTime() - Date.parse(from)) / 1000 };
}

export function toSvDocument(sampleId: string, runId: string, call: SvCall): SvDocument {
  const chromosome = normaliseChromosome(call.chrom) ?? call.chrom;
  return {
    ...call,
    id: `${runId}:${call.id}`,
    callId: call.id,
    sampleId,
    runId,
    chromosome,
    pos1: call.start + 1,
    end1: call.end,
    sortKey: svSortKey(chromosomeRank(chromosome), call.start),
  };
}

/** The public view of an SV document (storage fields dropped, 1-based coordinates). */
export function toSvView(doc: SvDocument): Record<string, unknown> {
  const { id: _cosmosId, start: _start, end: _end, sortKey: _sortKey, ...rest } = doc as SvDocument & Record<string, unknown>;
  void _cosmosId;
  void _start;
  void _end;
  void _sortKey;
  const view: Record<string, unknown> = { ...rest, id: doc.callId };
  for (const k of Object.keys(view)) if (k.startsWith('_')) delete view[k];
  delete view.callId;
  return view;
}
