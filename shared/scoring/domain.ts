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
 * genome; seed 42 with all its SVs in a quarter, half or three quarters of the cells: 54-56 % on
 * chromosome 20) the depth features are noise. There the model's probability is still computed and shown, but
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
  /**
   * Caller-passed training calls by kind of call (callClass), a genome's call counted once over its copies
   * (since 20261129-17; twice, plain and artefact copy, before); absent in models before 20261129-14.
   */
  classes?: Record<string, number>;
  /** A kind of call with fewer caller-passed training calls than this is not judged by the model. */
  minClassCandidates?: number;
  /** The depth fold change under which `classes` counted an imprecise deletion as noCopyLeft (since 20261129-17). */
  noCopyLeftFold?: number;
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
    return "the read depth is too uneven to read as copy number (a BAM cut to regions, a very noisy library, or changes in only part of the cells: a mosaic or mixed sample): the SV scorer's depth features (fold change, its likelihood ratio, the typical depth its read counts are scaled by) do not mean here what they meant in training";
  }
  return null;
}

/**
 * Depth fold change under which an imprecise deletion reads as a loss of both
 * copies (closer to none left than to one: a heterozygous loss reads 0.5).
 */
export const NO_COPY_LEFT_FOLD = 0.25;

/**
 * The kind of a call, as training counts them: its type and whether split
 * reads or assembly placed its breakpoints; and for an imprecise deletion,
 * whether depth says no copy is left (`DEL/imprecise/noCopyLeft`). Those are
 * homozygous losses whose ends lie in repeats, where no read splits: the
 * segmental-duplication-mediated deletions a cytogenomics lab looks for. The
 * training genomes (chromosome 20, a chr21 slice) hold 7 of them that the
 * caller passes; the plain held-out genomes (seeds 42-62, mostly their chr1
 * slices) 42, 38 true. There scorer 20261129-17 would have withdrawn four
 * true ones of 0.24-8.4 kb with no read inside (P 0.14-0.35), and -16
 * withdrew one of 2 kb (P 0.40). Decision 0005, addendum 5.
 */
export function callClass(call: Pick<SvCall, 'type' | 'precise' | 'depthFoldChange'>, domain?: ModelDomain): string {
  const kind = `${call.type}/${call.precise ? 'precise' : 'imprecise'}`;
  // The bound the model's training counted kinds with (sv-scorer.json), so that a call is sorted as its examples were.
  const bound = domain?.noCopyLeftFold ?? NO_COPY_LEFT_FOLD;
  const noCopyLeft = call.type === 'DEL' && !call.precise && call.depthFoldChange !== null && call.depthFoldChange < bound;
  return noCopyLeft ? `${kind}/noCopyLeft` : kind;
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
 * 3. Losses and gains, well supported by reads, whose depth lies surely
 *    between whole copy numbers: a mosaic or subclonal change (one copy lost
 *    in half the cells: 1.5 copies, depth fold 0.75). Every training event is
 *    constitutional, at a whole copy number. On seed 42 with its SVs in half
 *    the cells (scripts/bench/make-mosaic.sh), the model would have withdrawn
 *    true deletions of 523, 184, 79, 30 and 25 kb (6-12 reads each, depth
 *    fold 0.73-0.75) at P 0.06-0.28; on seed 59 so, deletions of 3.6-8.6 kb
 *    (docs/scoring.md, "Mosaic SVs"). See betweenWholeCopies for the bounds.
 *
 * For all three, the probability is shown and the caller's own FILTER stands
 * (for depth-only changes: segment likelihood, LowMappability, UnevenDepth).
 */
export function outsideTraining(call: Pick<SvCall, 'type' | 'precise' | 'pairedEnd' | 'splitReads' | 'depthFoldChange' | 'evidence'>, domain?: ModelDomain): boolean {
  return notJudgedReason(call, domain) !== null;
}

/** Why the model does not judge a call (SvCall.modelNotAppliedReason); 'genome' is outsideDomain's, for a whole work unit. */
export type NotJudgedReason = NonNullable<SvCall['modelNotAppliedReason']>;

/** Which of outsideTraining's rules keeps the model from judging this call, or null when none does. */
export function notJudgedReason(
  call: Pick<SvCall, 'type' | 'precise' | 'pairedEnd' | 'splitReads' | 'depthFoldChange' | 'evidence'>,
  domain?: ModelDomain,
): Exclude<NotJudgedReason, 'genome'> | null {
  if ((call.type === 'DEL' || call.type === 'DUP' || call.type === 'CNV') && call.pairedEnd + call.splitReads === 0 && call.depthFoldChange !== null) return 'depthOnly';
  if (betweenWholeCopies(call)) return 'betweenCopies';
  if (!domain?.classes || domain.minClassCandidates === undefined) return null;
  return (domain.classes[callClass(call, domain)] ?? 0) < domain.minClassCandidates ? 'fewExamples' : null;
}

/** Copy number at least this far from a whole number is between whole copies (karyotype.ts reads a 20 % mosaic from the same distance). */
export const MOSAIC_CN_OFFSET = 0.2;
/**
 * How surely the read starts must put the depth between whole copies
 * (evidence.depthBetweenCopiesLogRatio, log10). Real depth varies more than
 * Poisson (GC, mappability), so the bar is high: one copy lost in half the
 * cells needs about 250 read starts (1.7 kb at 30x with 150 bp reads, 3.4 kb
 * at 15x), in a quarter of the cells about 1,200 (7 kb at 30x).
 */
export const MOSAIC_MIN_LOG10_RATIO = 5;
/**
 * Pairs plus split reads a call needs for rule 3: twice the pairs a junction
 * call needs to PASS on its own (3). Thinner calls whose depth sits between
 * whole copies are more often long false calls across several true events
 * (seed 56: a 1.9 Mb "deletion" on 2 pairs at fold 0.67) than mosaics, and
 * the model judges them as before.
 */
export const MOSAIC_MIN_SUPPORT = 6;

/**
 * A deletion or duplication with at least MOSAIC_MIN_SUPPORT pairs and split
 * reads whose depth gives a copy number (2 × fold) at least MOSAIC_CN_OFFSET
 * from a whole number, on the side the call claims (below 2 for a loss, above
 * for a gain), and whose read starts reject both whole copy numbers around it
 * by MOSAIC_MIN_LOG10_RATIO.
 */
export function betweenWholeCopies(call: Pick<SvCall, 'type' | 'pairedEnd' | 'splitReads' | 'depthFoldChange' | 'evidence'>): boolean {
  if ((call.type !== 'DEL' && call.type !== 'DUP') || call.depthFoldChange === null) return false;
  if (call.pairedEnd + call.splitReads < MOSAIC_MIN_SUPPORT || (call.evidence?.depthBetweenCopiesLogRatio ?? 0) < MOSAIC_MIN_LOG10_RATIO) return false;
  const cn = 2 * call.depthFoldChange;
  const claimed = call.type === 'DEL' ? cn <= 2 - MOSAIC_CN_OFFSET : cn >= 2 + MOSAIC_CN_OFFSET;
  return claimed && Math.abs(cn - Math.round(cn)) >= MOSAIC_CN_OFFSET;
}
