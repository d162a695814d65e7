/**
 * Where the SV scorer may judge. The model learnt from simulated whole
 * genomes at 15-45x whose split reads carry SA tags (bwa mem). On a genome
 * outside that, its features do not mean what they meant in training: on a
 * BAM cut to target regions the contig depth from the index is far below
 * the reads' real depth, on a BAM without SA tags (older aligners) every
 * junction looks like one with no split read, which the model learnt to
 * distrust, and where depth is too uneven to read as copy number (a BAM that
 * keeps stretches of reads only, like the HG002 test subset: 57 % of its
 * 10 kb bins at a whole copy number, against 83-96 % in every training
 * genome) the depth features are noise. There the model's probability is still computed and shown, but
 * the caller's own FILTER stands, and the run says why ("could not assess"
 * rather than a confident wrong answer).
 */
import type { SvCall } from '../contracts';

/** Written by training into sv-scorer.json. */
export interface ModelDomain {
  /** Contig mean depth (from the index) the model may judge, in x. */
  minDepth: number;
  maxDepth: number;
  /** The training BAMs had SA tags: a genome without any is outside. */
  needsSplitReads: boolean;
  /** Caller-passed training candidates by kind of call (callClass); absent in models before 20261129-14. */
  classes?: Record<string, number>;
  /** A kind of call with fewer caller-passed training candidates than this is not judged by the model. */
  minClassCandidates?: number;
}

/** A work unit that has scanned this many reads without one SA tag has none to show. */
export const SPLIT_TAG_MIN_READS = 20_000;

export interface UnitEvidence {
  /** Mean depth of the unit's contig, from the index. */
  meanDepth: number;
  readsScanned: number;
  /** Reads with an SA tag the caller used. */
  splitReads: number;
  /** The unit's read depth was too uneven to read as copy number (the caller's UnevenDepth warning; stats.depthUneven). */
  depthUneven?: boolean;
}

/** Null when the model may judge the unit, else the reason it may not. */
export function outsideDomain(domain: ModelDomain | undefined, unit: UnitEvidence): string | null {
  if (!domain) return null;
  if (unit.meanDepth < domain.minDepth || unit.meanDepth > domain.maxDepth) {
    return `the contig's depth (${unit.meanDepth.toFixed(1)}x from the index) is outside the ${domain.minDepth}-${domain.maxDepth}x the SV scorer was trained for (a BAM cut to target regions, or low-pass data)`;
  }
  if (domain.needsSplitReads && unit.readsScanned >= SPLIT_TAG_MIN_READS && unit.splitReads === 0) {
    return `none of ${unit.readsScanned} reads carries an SA tag (split reads), unlike the BAMs the SV scorer was trained on (an older aligner?)`;
  }
  if (unit.depthUneven) {
    return "the read depth is too uneven to read as copy number (a BAM cut to regions, or a very noisy library): the SV scorer's depth features (fold change, its likelihood ratio, the typical depth its read counts are scaled by) do not mean here what they meant in training";
  }
  return null;
}

/** The kind of a call, as training counts them: its type and whether split reads or assembly placed its breakpoints. */
export function callClass(call: Pick<SvCall, 'type' | 'precise'>): string {
  return `${call.type}/${call.precise ? 'precise' : 'imprecise'}`;
}

/**
 * Calls the model never learnt to judge, whatever the genome.
 *
 * 1. Kinds of call it saw too few of among the calls the caller passed in
 *    training (`domain.classes`, fewer than `minClassCandidates`). The
 *    training genomes (chromosome 20 and a chr21 slice) give it no passed
 *    inversion without exact breakpoints: every one they hold has split reads
 *    at its junctions, and every imprecise one the caller filtered (2 pairs).
 *    Where an inversion's end lies in a repeat (the held-out chr1 slices),
 *    the caller passes it on pairs alone, or anchored at one end (caller.ts,
 *    anchorPairCalls): the model's probability there is an extrapolation. On
 *    the 28 held-out sets it withdrew true ones of 2.5 kb (7 pairs) and
 *    572 kb (45 pairs) at P 0.02-0.28 (caller 0.7.0, scorer 20261129-14).
 * 2. Copy-number changes seen by depth alone (SVCLAIM D: no pair, no split
 *    read). Its training genomes gave it two such candidates, both false. On
 *    the held-out sets it withdrew true ones (seed 51's 191 kb duplication at
 *    P 0.46, seed 48's 240 kb one at 0.19), and large CNVs whose breakpoints lie in repeats
 *    (the recurrent, segmental-duplication-mediated ones) are what a
 *    cytogenomics lab looks for.
 *
 * For both, the probability is shown and the caller's own FILTER stands
 * (for depth-only changes: segment likelihood, LowMappability, UnevenDepth).
 */
export function outsideTraining(call: Pick<SvCall, 'type' | 'precise' | 'pairedEnd' | 'splitReads' | 'depthFoldChange'>, domain?: ModelDomain): boolean {
  if ((call.type === 'DEL' || call.type === 'DUP' || call.type === 'CNV') && call.pairedEnd + call.splitReads === 0 && call.depthFoldChange !== null) return true;
  if (!domain?.classes || domain.minClassCandidates === undefined) return false;
  return (domain.classes[callClass(call)] ?? 0) < domain.minClassCandidates;
}
