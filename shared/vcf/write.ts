/**
 * VCF 4.4 text for one sample's structural-variant calls, and its bgzipped
 * form with a tabix index.
 *
 * Coordinates: SvCall.start is the 0-based first affected base, so the
 * padding base before the event is 0-based start-1, i.e. 1-based POS = start;
 * SvCall.end is 0-based exclusive, i.e. the 1-based inclusive END.
 *
 * Nothing is escaped: values that would need it (whitespace in a sample id,
 * a newline in a header value, ...) are rejected as InternalError, since they
 * come from LAG itself.
 */
import type { SvCall, SvType } from '../contracts';
import { InternalError } from '../errors';
import { qualFromProbability } from '../scoring/qual';
import { bgzfCompress } from './bgzf';
import { buildTabixIndex } from './tabix';

export interface VcfContig {
  name: string;
  length: number;
}

export interface WriteVcfOptions {
  sampleId: string;
  calls: readonly SvCall[];
  /** Header contigs, in header (and record sort) order; every call's contig must be here. */
  contigs: readonly VcfContig[];
  /** `##reference=` value, e.g. the build name or a FASTA URL. */
  reference: string;
  /** LAG version for `##source=LAG <version>`. */
  version: string;
  commandLine: string;
  warnings?: readonly string[];
  /** Defaults to now; written as the UTC date. */
  fileDate?: Date;
  /** Reference base at a 0-based position; REF is 'N' without it. */
  refBase?: (chrom: string, pos0: number) => string;
  /** FILTER descriptions for ids other than PASS. */
  filterDescriptions?: Readonly<Record<string, string>>;
}

const SYMBOLIC: Readonly<Record<Exclude<SvType, 'BND'>, string>> = {
  DEL: 'Deletion relative to the reference',
  DUP: 'Region of elevated copy number relative to the reference',
  INV: 'Inversion of reference sequence',
  INS: 'Insertion of novel sequence relative to the reference',
  CNV: 'Copy number variable region',
};

// Reserved keys as VCF 4.4 section 3 defines them; PE, SR, DHFFC are LAG's.
/** VCF 4.4 EVENTTYPE values (section 5.7): TRA for translocations; LAG says which kind in EVENT's id. */
const EVENT_TYPES = { 'reciprocal-translocation': 'TRA', 'unbalanced-translocation': 'TRA' } as const;

const INFO_LINES = [
  '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">',
  '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="Length of structural variant">',
  '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the longest variant described in this record">',
  '##INFO=<ID=CIPOS,Number=.,Type=Integer,Description="Confidence interval around POS for symbolic structural variants">',
  '##INFO=<ID=CIEND,Number=.,Type=Integer,Description="Confidence interval around END for symbolic structural variants">',
  '##INFO=<ID=IMPRECISE,Number=0,Type=Flag,Description="Imprecise structural variation">',
  '##INFO=<ID=SVLEN_LOWER_BOUND,Number=0,Type=Flag,Description="SVLEN is a lower bound: the inserted sequence is longer than its reads could assemble or its read pairs measure">',
  '##INFO=<ID=PE,Number=1,Type=Integer,Description="Discordant read pairs supporting the variant">',
  '##INFO=<ID=SR,Number=1,Type=Integer,Description="Split reads supporting the variant">',
  '##INFO=<ID=DHFFC,Number=1,Type=Float,Description="Depth inside the event divided by depth of its flanks">',
  '##INFO=<ID=SVCLAIM,Number=A,Type=String,Description="Claim made by the structural variant call. Valid values are D, J, DJ for abundance, adjacency and both respectively">',
  '##INFO=<ID=MATEID,Number=A,Type=String,Description="ID of mate breakend">',
  '##INFO=<ID=EVENT,Number=A,Type=String,Description="ID of the event the breakend belongs to">',
  '##INFO=<ID=EVENTTYPE,Number=1,Type=String,Description="Type of the event (TRA: translocation)">',
  '##INFO=<ID=PROB,Number=1,Type=Float,Description="Calibrated probability that the SV is real, from the LAG SV scorer (QUAL is its capped Phred)">',
  '##INFO=<ID=PROB_NOT_APPLIED,Number=0,Type=Flag,Description="The call is outside what the SV scorer was trained on (the genome\'s depth or split-read tags, a kind of call it learnt from too few examples, a copy-number change seen by depth alone, or a large one whose depth lies between whole copy numbers, as a mosaic\'s does): PROB is shown, FILTER is the caller\'s own">',
  '##INFO=<ID=PROB_NOT_APPLIED_WHY,Number=1,Type=String,Description="Why PROB was not applied: genome (the genome is outside what the scorer learnt from), depthOnly (a change seen by depth alone), betweenCopies (depth between whole copy numbers, as a mosaic\'s), fewExamples (a kind of call it learnt from too few examples)">',
];


const FORMAT_LINES = [
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Conditional genotype quality">',
  '##FORMAT=<ID=PE,Number=1,Type=Integer,Description="Discordant read pairs supporting the variant">',
  '##FORMAT=<ID=SR,Number=1,Type=Integer,Description="Split reads supporting the variant">',
  '##FORMAT=<ID=CN,Number=1,Type=Float,Description="Copy number">',
];

/** VCF 4.4 section 1.4.7 (SAM reference-name rules). */
const CONTIG_NAME = /^[0-9A-Za-z!#$%&+./:;?@^_|~-][0-9A-Za-z!#$%&*+./:;=?@^_|~-]*$/;
/** IDs and FILTER codes: no whitespace or semicolons. */
const TOKEN = /^[^\s;]+$/;
/** VCF 4.4 section 1.6.1 item 4: an ambiguity code becomes its alphabetically first base. */
const IUPAC_FIRST: Readonly<Record<string, string>> = { R: 'A', Y: 'C', S: 'C', W: 'A', K: 'G', M: 'A', B: 'C', D: 'A', H: 'A', V: 'A' };

interface VcfRecord {
  contigIndex: number;
  pos: number;
  end: number;
  id: string;
  line: string;
}

export function writeVcf(opts: WriteVcfOptions): string {
  if (!/^\S+$/.test(opts.sampleId)) {
    throw new InternalError('VCF_SAMPLE_ID', `sample id ${JSON.stringify(opts.sampleId)} is empty or has whitespace`);
  }
  const contigIndex = new Map<string, number>();
  opts.contigs.forEach((c, i) => {
    if (!CONTIG_NAME.test(c.name) || contigIndex.has(c.name) || !Number.isSafeInteger(c.length) || c.length <= 0) {
      throw new InternalError('VCF_CONTIG', `invalid or duplicate contig ${JSON.stringify(c.name)} (length ${c.length})`);
    }
    contigIndex.set(c.name, i);
  });

  const records = opts.calls.map((call) => toRecord(call, contigIndex, opts));
  records.sort((a, b) => a.contigIndex - b.contigIndex || a.pos - b.pos || a.end - b.end || compare(a.id, b.id));

  const filters = new Set<string>();
  for (const call of opts.calls) for (const f of filterCodes(call)) if (f !== 'PASS') filters.add(f);

  const lines = [
    '##fileformat=VCFv4.4',
    `##fileDate=${(opts.fileDate ?? new Date()).toISOString().slice(0, 10).replace(/-/g, '')}`,
    `##source=LAG ${headerValue('version', opts.version)}`,
    `##reference=${headerValue('reference', opts.reference)}`,
    ...opts.contigs.map((c) => `##contig=<ID=${c.name},length=${c.length}>`),
    ...Object.entries(SYMBOLIC).map(([id, d]) => `##ALT=<ID=${id},Description="${d}">`),
    ...INFO_LINES,
    '##FILTER=<ID=PASS,Description="All filters passed">',
    ...[...filters].sort(compare).map((f) => `##FILTER=<ID=${f},Description="${filterDescription(f, opts)}">`),
    ...FORMAT_LINES,
    ...(opts.warnings ?? []).map((w) => `##LAG_warning=${headerValue('warning', w)}`),
    `##commandline=${headerValue('commandline', opts.commandLine)}`,
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', opts.sampleId].join('\t'),
    ...records.map((r) => r.line),
  ];
  return lines.join('\n') + '\n';
}

/** The VCF bgzipped, and its tabix index. */
export function writeBgzippedVcfWithIndex(opts: WriteVcfOptions): { vcfGz: Buffer; tbi: Buffer } {
  const text = Buffer.from(writeVcf(opts), 'utf8');
  const gz = bgzfCompress(text);
  return { vcfGz: gz.bytes, tbi: buildTabixIndex(text, gz) };
}

function toRecord(call: SvCall, contigIndex: ReadonlyMap<string, number>, opts: WriteVcfOptions): VcfRecord {
  const index = contigIndex.get(call.chrom);
  if (index === undefined) throw new InternalError('VCF_CONTIG', `call ${call.id} is on unknown contig ${call.chrom}`);
  for (const [name, v] of Object.entries({ start: call.start, end: call.end, svlen: call.svlen, pe: call.pairedEnd, sr: call.splitReads })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new InternalError('VCF_CALL', `call ${call.id}: ${name}=${v} is not a count`);
  }
  if (call.end < call.start) throw new InternalError('VCF_CALL', `call ${call.id}: end ${call.end} < start ${call.start}`);
  if (call.id !== '' && !TOKEN.test(call.id)) throw new InternalError('VCF_CALL', `call id ${JSON.stringify(call.id)} has whitespace or ';'`);

  const base = (pos0: number): string => (pos0 < 0 || !opts.refBase ? 'N' : refAllele(opts.refBase(call.chrom, pos0), call));
  const info: string[] = [`SVTYPE=${call.type}`];
  let pos = call.start;
  let end = pos;
  let ref: string;
  let alt: string;

  if (call.type === 'BND') {
    ({ pos, ref, alt } = breakend(call, contigIndex, base));
    end = pos;
  } else {
    ref = base(call.start - 1);
    alt = `<${call.type}>`;
    // VCF 4.4 section 3, END: POS + SVLEN for DEL/DUP/INV/CNV; POS + len(REF) - 1 for INS.
    const svlen = call.type === 'INS' ? call.svlen : call.end - call.start;
    end = call.type === 'INS' ? pos : pos + svlen;
    info.push(`SVLEN=${svlen}`, `END=${end}`);
    if (call.type === 'INS' && call.svlenAtLeast) info.push('SVLEN_LOWER_BOUND');
  }
  if (!call.precise || call.ciPos[0] !== 0 || call.ciPos[1] !== 0) info.push(`CIPOS=${interval(call.ciPos, call)}`);
  if (call.type !== 'BND' && (!call.precise || call.ciEnd[0] !== 0 || call.ciEnd[1] !== 0)) info.push(`CIEND=${interval(call.ciEnd, call)}`);
  if (!call.precise) info.push('IMPRECISE');
  info.push(`PE=${call.pairedEnd}`, `SR=${call.splitReads}`);
  if (call.depthFoldChange !== null) info.push(`DHFFC=${formatFloat(call.depthFoldChange)}`);
  const claim = svClaim(call);
  if (claim) info.push(`SVCLAIM=${claim}`);
  // An unpaired breakend (its mate side not seen) has no MATEID.
  if (call.type === 'BND' && call.mate?.id) info.push(`MATEID=${token(call.mate.id, call)}`);
  if (call.event) info.push(`EVENT=${token(call.event.id, call)}`, `EVENTTYPE=${EVENT_TYPES[call.event.type]}`);
  const scored = call.modelVersion !== undefined && Number.isFinite(call.score);
  if (scored) info.push(`PROB=${formatFloat(call.score)}`);
  if (scored && call.modelApplied === false) {
    info.push('PROB_NOT_APPLIED');
    if (call.modelNotAppliedReason) info.push(`PROB_NOT_APPLIED_WHY=${call.modelNotAppliedReason}`);
  }

  const gq = Number.isFinite(call.genotypeQuality) ? String(Math.max(0, Math.round(call.genotypeQuality))) : '.';
  const cn = call.copyNumber === null ? '.' : formatFloat(call.copyNumber);
  const filter = filterCodes(call).join(';') || '.';
  const id = call.id || '.';
  // QUAL: the model's probability as capped Phred (VCF: -10 log10 P(call is wrong)); '.' before scoring.
  const qual = scored ? String(qualFromProbability(call.score)) : '.';
  const line = [call.chrom, pos, id, ref, alt, qual, filter, info.join(';'), 'GT:GQ:PE:SR:CN', `${call.genotype}:${gq}:${call.pairedEnd}:${call.splitReads}:${cn}`].join('\t');
  return { contigIndex: index, pos, end, id, line };
}

/**
 * With `strands`, a breakend is written in the orientation its reads show
 * (VCF 4.4 section 5.4). Without them, a breakend pair is written as one simple
 * junction (VCF 4.4 section 5.4): the part left of the lower breakend joined
 * to the part right of the higher one. The lower breakend is `t[p[` at the
 * base before its junction (POS = start); the higher is `]p]t` at the base
 * after its junction (POS = start + 1); each names the other's POS. A
 * breakend without a mate is a single breakend `t.`.
 */
function breakend(
  call: SvCall,
  contigIndex: ReadonlyMap<string, number>,
  base: (pos0: number) => string,
): { pos: number; ref: string; alt: string } {
  const mate = call.mate;
  if (!mate) {
    const ref = base(call.start - 1);
    return { pos: call.start, ref, alt: `${ref}.` };
  }
  const mateIndex = contigIndex.get(mate.chrom);
  const index = contigIndex.get(call.chrom) ?? 0;
  if (mateIndex === undefined) {
    throw new InternalError('VCF_CONTIG', `breakend ${call.id} has its mate on unknown contig ${mate.chrom}`);
  }
  if (!Number.isSafeInteger(mate.pos) || mate.pos < 0) throw new InternalError('VCF_CALL', `breakend ${call.id}: mate pos ${mate.pos}`);
  if (call.strands) {
    // Known orientation: the bracket points away from the mate's piece, t sits on the local piece's side.
    const ref = base(call.start);
    const p = `${mate.chrom}:${mate.pos + 1}`;
    const bracket = call.strands[1] === '+' ? ']' : '[';
    const alt = call.strands[0] === '+' ? `${ref}${bracket}${p}${bracket}` : `${bracket}${p}${bracket}${ref}`;
    return { pos: call.start + 1, ref, alt };
  }
  const lower = index - mateIndex || call.start - mate.pos || compare(call.id, mate.id);
  if (lower < 0) {
    const ref = base(call.start - 1);
    return { pos: call.start, ref, alt: `${ref}[${mate.chrom}:${mate.pos + 1}[` };
  }
  const ref = base(call.start);
  return { pos: call.start + 1, ref, alt: `]${mate.chrom}:${mate.pos}]${ref}` };
}

/**
 * VCF 4.4 SVCLAIM: required for DEL/DUP (DJ = read pairs or split reads plus a
 * depth measurement, J = reads only, D = depth only), D for CNV, implicit J
 * (omitted) for INV, INS and breakends.
 */
function svClaim(call: SvCall): string | undefined {
  if (call.type === 'CNV') return 'D';
  if (call.type !== 'DEL' && call.type !== 'DUP') return undefined;
  const depth = call.depthFoldChange !== null;
  const junction = call.pairedEnd + call.splitReads > 0 || !depth;
  return `${depth ? 'D' : ''}${junction ? 'J' : ''}`;
}

function refAllele(raw: string, call: SvCall): string {
  const b = raw.toUpperCase();
  if (/^[ACGTN]$/.test(b)) return b;
  const first = IUPAC_FIRST[b];
  if (first) return first;
  throw new InternalError('VCF_REF_BASE', `reference base ${JSON.stringify(raw)} for call ${call.id} is not one base`);
}

function filterCodes(call: SvCall): string[] {
  if (call.filter === '' || call.filter === '.') return [];
  const codes = call.filter.split(';');
  for (const c of codes) {
    if (!TOKEN.test(c) || c === '0') throw new InternalError('VCF_FILTER', `call ${call.id}: invalid FILTER ${JSON.stringify(call.filter)}`);
  }
  return codes;
}

function filterDescription(id: string, opts: WriteVcfOptions): string {
  const d = opts.filterDescriptions?.[id] ?? `Set by LAG: ${id}`;
  if (/["\\\r\n]/.test(d)) throw new InternalError('VCF_HEADER', `FILTER ${id} description has a quote, backslash or newline`);
  return d;
}

function headerValue(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new InternalError('VCF_HEADER', `${name} has a line break: ${JSON.stringify(value)}`);
  return value;
}

function token(value: string, call: SvCall): string {
  if (!TOKEN.test(value)) throw new InternalError('VCF_CALL', `call ${call.id}: ${JSON.stringify(value)} has whitespace or ';'`);
  return value;
}

function interval([lo, hi]: readonly [number, number], call: SvCall): string {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) throw new InternalError('VCF_CALL', `call ${call.id}: bad confidence interval`);
  return `${lo},${hi}`;
}

/** Up to 3 decimals, no trailing zeros; non-finite values are missing. */
function formatFloat(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(3))) : '.';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
