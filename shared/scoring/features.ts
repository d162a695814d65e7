/**
 * The features the SV scorer sees, one vector per candidate, computed from
 * the evidence the caller already holds (SvCall and SvCall.evidence). This
 * list is the one place that defines them: the training export, the model
 * card (model/MODEL.md) and inference all read FEATURES, in this order.
 *
 * Missing values (no split reads, no clips, depth not measured) get a fixed
 * neutral value and, where it matters, a 0/1 flag, so the model can tell
 * "absent" from "low".
 *
 * Left out on purpose (measured, docs/scoring.md): the allele fraction and
 * what is computed from it (alt and reference reads over the depth, the
 * genotype likelihood ratio, genotype quality, homozygosity), and whether a
 * breakend's reciprocal junction was found. In simulated genomes true
 * heterozygous SVs sit at an allele fraction near 0.5 and every true
 * translocation is balanced, so a model trained there leans on them; real
 * heterozygous deletions in NA12878 show 0.17-0.4 by LAG's counts, and real
 * rearrangements are often unbalanced or complex. With them, the model
 * withdrew 35 of NA12878's 125 real sites and the Manta t(8;11) junctions.
 * `depth_log_ratio` is not one of those: it weighs the depth fold change
 * (read starts inside vs flanks) by how many reads were counted, and uses no
 * alt or reference read count (decision 0005, addendum 3).
 */
import type { SvCall } from '../contracts';

export interface FeatureSpec {
  name: string;
  unit: string;
  description: string;
  value: (c: SvCall) => number;
}

const ev = (c: SvCall) => c.evidence;
const ln1p = (x: number) => Math.log(1 + Math.max(0, x));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Depth the counts are scaled by: the contig's mean depth, never below 1x. */
const depthOf = (c: SvCall) => Math.max(1, ev(c)?.contigDepth ?? 30);

export const FEATURES: readonly FeatureSpec[] = [
  { name: 'is_del', unit: '0/1', description: 'the candidate is a deletion', value: (c) => +(c.type === 'DEL') },
  { name: 'is_dup', unit: '0/1', description: 'a tandem duplication', value: (c) => +(c.type === 'DUP') },
  { name: 'is_inv', unit: '0/1', description: 'an inversion', value: (c) => +(c.type === 'INV') },
  { name: 'is_ins', unit: '0/1', description: 'an insertion', value: (c) => +(c.type === 'INS') },
  { name: 'is_bnd', unit: '0/1', description: 'a breakend (translocation side)', value: (c) => +(c.type === 'BND') },
  { name: 'log10_svlen', unit: 'log10(bp + 1)', description: 'SV length (0 for breakends)', value: (c) => Math.log10(1 + c.svlen) },
  { name: 'pairs', unit: 'ln(1 + pairs)', description: 'discordant read pairs supporting it', value: (c) => ln1p(c.pairedEnd) },
  { name: 'split_reads', unit: 'ln(1 + reads)', description: 'split, indel or clipped reads counted as its SR', value: (c) => ln1p(c.splitReads) },
  { name: 'clip_reads', unit: 'ln(1 + reads)', description: 'soft-clipped reads at its breakpoints', value: (c) => ln1p(ev(c)?.clipReads ?? 0) },
  { name: 'precise', unit: '0/1', description: 'breakpoints from split reads or assembly', value: (c) => +c.precise },
  { name: 'depth_fold', unit: 'depth inside / flanks', description: "duphold-like DHFFC (1 when not measured)", value: (c) => clamp(c.depthFoldChange ?? 1, 0, 4) },
  { name: 'depth_measured', unit: '0/1', description: 'the depth fold change was measured', value: (c) => +(c.depthFoldChange !== null) },
  {
    name: 'depth_log_ratio',
    unit: 'log10 likelihood ratio, within ±20',
    description:
      'DEL/DUP: how strongly depth supports the claimed copy change over two copies (read starts inside vs flanks, Poisson; counts how many reads were weighed, which the fold change does not; under a whole 100 bp bin, from the bins the event touches, each weighed by its share inside); 0 when not measured',
    value: (c) => clamp(ev(c)?.depthLogRatio ?? 0, -20, 20),
  },
  { name: 'split_mapq', unit: 'MAPQ / 60', description: 'mean mapping quality of the split reads (lower part of each; 0 when none)', value: (c) => (ev(c)?.splitMapq ?? 0) / 60 },
  { name: 'pair_mapq', unit: 'MAPQ / 60', description: 'mean mapping quality of the pairs (0 when none)', value: (c) => (ev(c)?.pairMapq ?? 0) / 60 },
  { name: 'split_nm', unit: 'mismatches', description: "mean edit distance of the split reads' other parts (0 when none)", value: (c) => clamp(ev(c)?.splitNm ?? 0, 0, 20) },
  {
    name: 'strand_imbalance',
    unit: '|2f - 1|',
    description: 'f = fraction of supporting reads on the forward strand (0 when none)',
    value: (c) => {
      const f = ev(c)?.forwardFraction;
      return f === null || f === undefined ? 0 : Math.abs(2 * f - 1);
    },
  },
  { name: 'clip_quality', unit: 'Phred / 40', description: 'mean base quality of the clipped bases (0 when none)', value: (c) => (ev(c)?.clipQuality ?? 0) / 40 },
  { name: 'flank_gc', unit: 'fraction', description: 'GC of the aligned flanks beside the clips (0.41, the genome mean, when none)', value: (c) => ev(c)?.flankGc ?? 0.41 },
  { name: 'flank_complexity', unit: 'distinct 3-mers / possible', description: 'low for repeats and homopolymers (1 when none)', value: (c) => ev(c)?.flankComplexity ?? 1 },
  { name: 'nearby', unit: 'ln(1 + candidates)', description: 'other candidates within 1 kb (clusters of candidates mark messy regions)', value: (c) => ln1p(ev(c)?.nearby ?? 0) },
  { name: 'ci_width', unit: 'log10(1 + bp)', description: 'width of the breakpoint confidence interval (CIPOS)', value: (c) => Math.log10(1 + c.ciPos[1] - c.ciPos[0]) },
  { name: 'caller_pass', unit: '0/1', description: "the caller's own filter (support, depth agreement) passed", value: (c) => +(c.filter === 'PASS') },
  {
    name: 'contig_depth',
    unit: 'x / 30',
    description: "typical depth of the work unit (median read starts per 100 bp bin × read length; large gains and losses do not move it)",
    value: (c) => clamp(depthOf(c) / 30, 0, 5),
  },
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/** The feature vector of one candidate, in FEATURES order; every value finite. */
export function featureVector(call: SvCall): Float32Array {
  const out = new Float32Array(FEATURES.length);
  FEATURES.forEach((f, i) => {
    const v = f.value(call);
    out[i] = Number.isFinite(v) ? v : 0;
  });
  return out;
}

/** Feature vectors of many candidates as one row-major matrix [n, FEATURES.length]. */
export function featureMatrix(calls: readonly SvCall[]): Float32Array {
  const width = FEATURES.length;
  const out = new Float32Array(calls.length * width);
  calls.forEach((c, i) => out.set(featureVector(c), i * width));
  return out;
}
