/**
 * SV candidates from discordant read pairs, for every class pairs can see:
 *
 *   orientation of the leftmost read / its mate     class
 *   F ... R, insert > median + 4 SD                 DEL  (deletion)
 *   R ... F                                         DUP  (tandem duplication)
 *   F ... F  or  R ... R                            INV  (inversion; one cluster per junction)
 *   mate on another contig                          BND  (one half of a translocation; mates
 *                                                          are joined across contigs in mergeCalls)
 *
 * Each pair is counted once, from its leftmost read (BND: from each side, in
 * that side's activity). Depth (read starts in 100 bp bins) confirms DEL and
 * DUP and gives their copy number; fragment coverage (concordant pairs, same
 * bins) gives the reads supporting the reference at a breakpoint, for
 * genotyping INV and BND.
 *
 * Split reads and soft clips refine breakpoints in the full caller; this one
 * marks every call IMPRECISE with CIPOS/CIEND from the library spread.
 */
import type { SvCall, SvEvidence, SvType } from '../contracts';
import { svCallId } from '../ids';
import { EXCLUDED_FLAGS, FLAG } from '../bam/record';
import { gcCorrect } from '../cnv/gc';
import { MIN_FIT_SHARE, refineBreakpoint, segmentDepth, type TwoCopyLevel, twoCopyLevel } from '../cnv/segment';
import { DepthBins, SpanCoverage } from './depth';
import { genotypeFromCounts, type GenotypeCall } from './genotype';
import type { CallerContext, CallerResult, SvCaller } from './types';
import { upperMedian } from '../stats';

export const PAIR_CALLER_VERSION = '0.5.5';
/** Reads below this mapping quality are ignored (a common SV-caller default). */
export const MIN_MAPQ = 20;
/** An FR insert beyond median + 4 SD is discordant (~1 in 30,000 by chance for a normal library). */
const DISCORDANT_SDS = 4;
/** SVs are structural from 50 bp (the SV convention). */
const MIN_SV_LENGTH = 50;
/** Depth fold changes that confirm a loss or a gain (het expectations 0.5 and 1.5). */
export const LOSS_FOLD = 0.75;
export const GAIN_FOLD = 1.25;

/** Whether a depth fold change (inside / flanks) shows the loss or gain that a DEL or DUP claims. */
export function depthAgrees(type: 'DEL' | 'DUP', fold: number): boolean {
  return type === 'DEL' ? fold < LOSS_FOLD : fold > GAIN_FOLD;
}

/** The FILTER of a DEL or DUP whose depth does not show its loss or gain. */
export function noDepthChange(type: 'DEL' | 'DUP'): 'NoDepthDrop' | 'NoDepthGain' {
  return type === 'DEL' ? 'NoDepthDrop' : 'NoDepthGain';
}
/** Pairs needed to propose any candidate. */
const MIN_PAIRS = 2;
/** Pairs that, with their class's other evidence, make a call PASS. */
const CONFIDENT_PAIRS = 3;
/** Balanced events (INV, BND) have no depth signal: they need more pairs to PASS. */
const CONFIDENT_BALANCED_PAIRS = 4;
/**
 * With fewer than CONFIDENT_PAIRS pairs, a depth change must be measured over
 * at least this many bp (10 bins): a halved depth over 1 kb at 15x is ~10 SD from chance.
 */
const MIN_DEPTH_EVIDENCE = 1_000;
/** Flank measured on each side for the depth comparison (bp). */
const FLANK = 5_000;
/** A depth flank needs reads in this fraction of its bins to be a baseline (depthGenotype). */
const MIN_COVERED_FLANK = 0.5;

type PairClass = 'DEL' | 'DUP' | 'INV_FF' | 'INV_RR' | 'BND';

/** One discordant pair, seen from its leftmost read (BND: from the local read). */
interface Pair {
  cls: PairClass;
  /** Local read: 0-based start and exclusive end. */
  readStart: number;
  readEnd: number;
  readReverse: boolean;
  /** Mate: contig index and 0-based start. */
  mateRef: number;
  mateStart: number;
  mateReverse: boolean;
  insert: number;
  mapq: number;
}

/** The pair caller, with its depth and fragment evidence open to the read-evidence caller (after finish()). */
export interface PairCaller extends SvCaller {
  /** Depth inside vs flanks of [start, end), with a genotype; null when not measurable. */
  depthGenotype(type: 'DEL' | 'DUP', start: number, end: number): DepthGenotype | null;
  /** Depth's log10 likelihood ratio for the event (eventDepthLogRatio), given its depthGenotype; null when not measurable. */
  depthLogRatio(type: 'DEL' | 'DUP', start: number, end: number, g: DepthGenotype | null): number | null;
  /** One read's GC fraction at `pos`, for the GC correction of depth-only segments (a sample of reads is enough). */
  addGc(pos: number, gcFraction: number): void;
  /** The unit's typical depth in x: the median read starts per covered 100 bp bin, times the read length; null without reads. Read after the last observe. */
  typicalDepth(): number | null;
}

export function createPairCaller(ctx: CallerContext): PairCaller {
  const { unit, library } = ctx;
  const depth = new DepthBins(unit.start, unit.end);
  // Concordant fragments covering each 100 bp bin: the reads that support the reference at a breakpoint.
  const fragments = new SpanCoverage(unit.start, unit.end);
  const pairs: Pair[] = [];
  const sd = Math.max(library.insertSizeSd, 1);
  const threshold = library.insertSizeMedian + DISCORDANT_SDS * sd;
  const stats = { reads: 0, discordant: 0, interChromosomal: 0 };
  const gcBins = Math.max(1, Math.ceil((unit.end - unit.start) / SEGMENT_BIN));
  const gcSum = new Float64Array(gcBins);
  const gcReads = new Uint32Array(gcBins);

  return {
    name: 'lag-pairs',
    version: PAIR_CALLER_VERSION,
    depthGenotype: (type, start, end) => depthGenotype(type, start, end, depth),
    depthLogRatio: (type, start, end, g) => eventDepthLogRatio(type, start, end, depth, g),
    typicalDepth(): number | null {
      const t = depth.typical();
      return t === null ? null : (t * library.readLength) / depth.bin;
    },
    addGc(pos, gcFraction): void {
      const i = Math.floor((pos - unit.start) / SEGMENT_BIN);
      if (i < 0 || i >= gcBins) return;
      gcSum[i] = gcSum[i]! + gcFraction;
      gcReads[i]!++;
    },
    observe(r): void {
      if (r.flags & EXCLUDED_FLAGS) return;
      if (r.mapq < MIN_MAPQ) {
        depth.addLowMapq(r.start);
        return;
      }
      stats.reads++;
      depth.add(r.start);
      if (!(r.flags & FLAG.paired) || r.flags & FLAG.mateUnmapped) return;
      const reverse = (r.flags & FLAG.reverse) !== 0;
      const mateReverse = (r.flags & FLAG.mateReverse) !== 0;
      const base = { readStart: r.start, readEnd: r.end, readReverse: reverse, mateRef: r.next_refid, mateStart: r.next_pos, mateReverse, mapq: r.mapq };
      if (r.next_refid !== r.ref_id) {
        stats.interChromosomal++;
        pairs.push({ ...base, cls: 'BND', insert: 0 });
        return;
      }
      // Count each same-contig pair once, from its leftmost read.
      if (r.next_pos < r.start || (r.next_pos === r.start && !(r.flags & FLAG.read1))) return;
      const insert = r.next_pos + library.readLength - r.start;
      let cls: PairClass | null = null;
      if (!reverse && mateReverse) {
        if (r.tlen > 0 && r.tlen <= threshold) fragments.add(r.start, r.start + r.tlen);
        else if (r.tlen > threshold) cls = 'DEL';
      } else if (reverse && !mateReverse) {
        // An "outie" spanning more than a fragment: the junction of a tandem duplication.
        if (insert > library.insertSizeMedian) cls = 'DUP';
      } else if (insert > library.readLength * 2) {
        cls = reverse ? 'INV_RR' : 'INV_FF';
      }
      if (cls) {
        stats.discordant++;
        pairs.push({ ...base, cls, insert: cls === 'DEL' ? r.tlen : insert });
      }
    },
    finish(): CallerResult {
      const warnings: string[] = [];
      if (library.insertSizeMedian <= 0) {
        warnings.push(`${unit.id}: no properly paired reads to learn the insert size from; SVs from read pairs cannot be called`);
        return { calls: [], warnings, stats };
      }
      fragments.finish();
      const slack = library.insertSizeMedian + 3 * sd;
      const calls: SvCall[] = [];
      for (const cls of ['DEL', 'DUP', 'BND'] as const) {
        for (const cluster of clusterPairs(pairs.filter((p) => p.cls === cls), slack)) {
          const call = cls === 'BND' ? breakendCall(cluster, ctx, fragments) : copyNumberCall(cls, cluster, ctx, depth, fragments);
          if (call) calls.push(call);
        }
      }
      calls.push(...inversionCalls(pairs, slack, ctx, fragments));
      const gc = Array.from(gcSum, (sum, i) => (gcReads[i]! >= MIN_GC_READS ? sum / gcReads[i]! : null));
      const depthOnly = depthOnlyCalls(ctx, depth, calls, gc);
      calls.push(...depthOnly.calls);
      const { baseline } = depthOnly;
      const uneven = baseline !== null && !depthReadable(baseline) && baseline.bins >= MIN_BINS_TO_WARN;
      if (uneven) {
        warnings.push(
          `${unit.id}: read depth too uneven to read copy number (${Math.round(baseline.fitShare * 100)} % of its 10 kb bins at a whole copy number, ` +
            `under ${Math.round(MIN_FIT_SHARE * 100)} %): depth-only losses and gains are not assessed here (FILTER UnevenDepth). ` +
            'A BAM cut to regions, a very noisy library, or losses and gains in only part of the cells (a mosaic, or a sample mixed with another) does this.',
        );
      }
      return {
        calls: calls.filter((c) => c.start >= unit.coreStart && c.start < unit.coreEnd),
        warnings,
        // Two copies for the depth-only segments and the unit's densest band (reads per 10 kb), the share of bins at a whole
        // copy number, and whether that share was too low to read depth as copy number (1: the warning above).
        stats: baseline
          ? {
              ...stats,
              depthTwoCopies: Math.round(baseline.level),
              depthDensest: Math.round(baseline.densest),
              depthFitShare: Math.round(baseline.fitShare * 1000) / 1000,
              depthUneven: uneven ? 1 : 0,
            }
          : stats,
      };
    },
  };
}

/**
 * Greedy clustering in read order: a pair joins the first open cluster whose
 * first pair has both ends within one library spread (median + 3 SD) of its
 * own (and, for BND, its mate lies on the same contig with the same strands);
 * otherwise it opens a cluster. A cluster closes once reads start beyond that
 * spread from its first pair. Several clusters stay open at once, so a pair
 * whose mate maps to another copy of a repeat does not cut a junction's
 * cluster in two (seed 48: a 63 kb deletion with breakpoints in repeats came
 * out as three calls of 3 pairs each, one of them with an end 8 kb off).
 */
function clusterPairs(pairs: Pair[], slack: number): Pair[][] {
  const key = (p: Pair) => `${p.mateRef}:${p.readReverse ? 1 : 0}${p.mateReverse ? 1 : 0}`;
  const groups = new Map<string, Pair[]>();
  for (const p of pairs) {
    const k = key(p);
    const g = groups.get(k);
    if (g) g.push(p);
    else groups.set(k, [p]);
  }
  const clusters: Pair[][] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.readStart - b.readStart);
    let open: Pair[][] = [];
    const close = (c: Pair[]) => {
      if (c.length >= MIN_PAIRS) clusters.push(c);
    };
    for (const p of group) {
      open = open.filter((c) => {
        if (p.readStart - c[0]!.readStart <= slack) return true;
        close(c);
        return false;
      });
      const home = open.find((c) => Math.abs(p.mateStart - c[0]!.mateStart) <= slack);
      if (home) home.push(p);
      else open.push([p]);
    }
    open.forEach(close);
  }
  // By position: the same order whatever the groups' order.
  return clusters.sort((a, b) => a[0]!.readStart - b[0]!.readStart || a[0]!.mateStart - b[0]!.mateStart);
}

/** The evidence of a call from pairs alone (read evidence, when found, replaces the read fields). */
export function pairEvidence(pairs: number, meanMapq: number | null, refFragments: number, ll: readonly number[]): SvEvidence {
  return {
    altReads: pairs,
    refReads: refFragments,
    clipReads: 0,
    splitMapq: null,
    splitNm: null,
    forwardFraction: null,
    pairMapq: meanMapq === null ? null : Math.round(meanMapq * 10) / 10,
    clipQuality: null,
    flankGc: null,
    flankComplexity: null,
    nearby: 0,
    genotypeLogRatio: Math.round((Math.max(ll[1]!, ll[2]!) - ll[0]!) * 100) / 100,
  };
}

const meanMapq = (c: Pair[]): number => c.reduce((a, p) => a + p.mapq, 0) / c.length;

function confidence(ctx: CallerContext): [number, number] {
  const half = Math.round((ctx.library.insertSizeMedian + 3 * ctx.library.insertSizeSd) / 2);
  return [-half, half];
}

export interface DepthGenotype extends GenotypeCall {
  fold: number | null;
  copyNumber: number | null;
  /** wholeCopyLogRatio of the measurement: how surely the depth lies between whole copy numbers (a mosaic). */
  betweenCopiesLogRatio: number;
}

/**
 * Flanks whose read-start depths differ by more than this ratio disagree: a
 * heterozygous gain in one flank makes 1.5; read-start counts of 5 kb flanks
 * that both sit at two copies differ by up to ~1.3 (breakpoints of small events, GC).
 */
const FLANKS_DISAGREE = 1.4;

/**
 * The depth an event is measured against: the mean of its flanks, unless they
 * disagree by more than a copy-number step (one flank is itself a loss or a
 * gain: a neighbouring event). Then the flank nearer the contig's typical depth
 * is the baseline, so a duplication beside another duplication still shows its gain.
 */
export function flankBaseline(flanks: readonly number[], typical: number | null): number {
  const [a, b] = flanks;
  if (b === undefined || typical === null || typical <= 0 || Math.max(a!, b) <= FLANKS_DISAGREE * Math.min(a!, b)) {
    return flanks.reduce((x, y) => x + y, 0) / flanks.length;
  }
  const off = (f: number): number => Math.abs(Math.log(f / typical));
  return off(a!) <= off(b) ? a! : b;
}

/**
 * The read starts per bin an event is measured against (flankBaseline of its flanks), or null. The
 * flanks' depth counts their bins that hold reads: a bin without one is no data, not zero depth. A
 * flank with under half of its bins covered (a BAM cut to target regions, a long gap) gives no
 * baseline, and with none left the depth is not measured.
 */
function flankDepth(start: number, end: number, depth: DepthBins): number | null {
  const flankLen = Math.min(FLANK, Math.max(1_000, end - start));
  const flanks = [depth.coveredMean(start - flankLen, start, MIN_COVERED_FLANK), depth.coveredMean(end, end + flankLen, MIN_COVERED_FLANK)].filter(
    (x): x is number => x !== null,
  );
  return flanks.length === 0 ? null : flankBaseline(flanks, depth.typical());
}

/**
 * Poisson log10 likelihoods of `observed` read starts for 0/0, 0/1, 1/1: copy numbers 2, 1, 0 (DEL) or
 * 2, 3, 4 (DUP), the read starts expected at each from `expected`, never below `floor`.
 */
function copyLogLikelihoods(type: 'DEL' | 'DUP', observed: number, expected: (copies: number) => number, floor: number): [number, number, number] {
  return (type === 'DEL' ? [2, 1, 0] : [2, 3, 4]).map((cn) => poissonLogLikelihood(observed, expected(cn), floor) / Math.LN10) as [number, number, number];
}

/** Natural log likelihood of `observed` read starts where `lambda` are expected (never below `floor`), Poisson, less its constant ln(observed!). */
function poissonLogLikelihood(observed: number, lambda: number, floor: number): number {
  const l = Math.max(lambda, floor);
  return observed * Math.log(l) - l;
}

/** log10 likelihood of the best changed genotype over two copies, to 0.01. */
function changeLogRatio([none, one, two]: readonly [number, number, number]): number {
  return Math.round((Math.max(one, two) - none) * 100) / 100;
}

/** Depth inside vs flanks, as a fold change, a copy number and a Poisson genotype. */
function depthGenotype(type: 'DEL' | 'DUP', start: number, end: number, depth: DepthBins): DepthGenotype | null {
  const inside = depth.mean(start, end, true);
  const flank = inside === null ? null : flankDepth(start, end, depth);
  if (inside === null || flank === null) return null;
  const bins = Math.max(1, Math.floor((end - start) / depth.bin));
  const observed = Math.round(inside * bins);
  const ll = copyLogLikelihoods(type, observed, (cn) => flank * bins * (cn / 2), 0.05 * flank * bins);
  const max = Math.max(...ll);
  const best = ll.indexOf(max);
  const total = ll.reduce((a, x) => a + Math.pow(10, x - max), 0);
  const pWrong = Math.max(0, 1 - 1 / total);
  const fold = inside / flank;
  const perCopy = (flank * bins) / 2;
  return {
    genotype: (['0/0', '0/1', '1/1'] as const)[best]!,
    genotypeQuality: pWrong <= 0 ? 99 : Math.min(99, Math.round(-10 * Math.log10(pWrong))),
    log10Likelihoods: ll,
    alleleFraction: type === 'DEL' ? 1 - Math.min(1, fold) : Math.max(0, fold - 1),
    fold: Math.round(fold * 1000) / 1000,
    copyNumber: Math.round(2 * fold),
    betweenCopiesLogRatio: wholeCopyLogRatio(observed, perCopy, 0.05 * flank * bins),
  };
}

/**
 * How surely depth puts an event between whole copy numbers, as one copy lost
 * or gained in part of the cells (a mosaic) does: the log10 likelihood of the
 * `observed` read starts at their own rate over their likelihood at the
 * nearer-fitting of the two whole copy numbers around it (read starts
 * expected `perCopy` per copy, never below `floor`; Poisson), to 0.01, at
 * most 99. 0 when the rate is itself a whole copy number. One copy lost in
 * half the cells over 1 kb at 30x (2x150 bp reads: ~150 read starts at 1.5
 * copies) gives ~3; over 10 kb, ~30.
 */
export function wholeCopyLogRatio(observed: number, perCopy: number, floor: number): number {
  if (!(perCopy > 0) || observed <= 0) return 0;
  const cn = observed / perCopy;
  const ll = (lambda: number) => poissonLogLikelihood(observed, lambda, floor);
  const whole = Math.max(ll(Math.floor(cn) * perCopy), ll(Math.ceil(cn) * perCopy));
  return Math.min(99, Math.round(((ll(observed) - whole) / Math.LN10) * 100) / 100);
}

function copyNumberCall(type: 'DEL' | 'DUP', cluster: Pair[], ctx: CallerContext, depth: DepthBins, fragments: SpanCoverage): SvCall | null {
  const { unit, library } = ctx;
  let start: number;
  let end: number;
  if (type === 'DEL') {
    // The gap lies right of every forward read and left of every reverse mate.
    start = Math.max(...cluster.map((p) => p.readEnd));
    const gapEnd = Math.min(...cluster.map((p) => p.mateStart));
    const estimated = Math.round(upperMedian(cluster.map((p) => p.insert)) - library.insertSizeMedian);
    // When the reads sit far from the breakpoints the gap overstates the event; trust the insert.
    end = gapEnd - start > estimated * 1.5 ? start + estimated : gapEnd;
  } else {
    // Duplicated segment: from the leftmost reverse read to the end of the rightmost forward mate.
    start = Math.min(...cluster.map((p) => p.readStart));
    end = Math.max(...cluster.map((p) => p.mateStart + library.readLength));
  }
  const svlen = end - start;
  if (svlen < MIN_SV_LENGTH) return null;
  const g = depthGenotype(type, start, end, depth);
  const changed = g !== null && depthAgrees(type, g.fold!);
  // Too few pairs to stand alone, and depth where reads map ambiguously (a segmental duplication, whose
  // unique depth is low in every genome): depth cannot confirm it, as for depth-only changes.
  const depthUnreadable = cluster.length < CONFIDENT_PAIRS && (depth.lowMapqFraction(start, end) ?? 0) > MAX_LOW_MAPQ_FRACTION;
  // Depth not measurable here (no covered flank): the pairs alone decide, as for a small event.
  const byDepth = changed && (cluster.length >= CONFIDENT_PAIRS || svlen >= MIN_DEPTH_EVIDENCE);
  const confirmed = g === null ? cluster.length >= CONFIDENT_PAIRS : byDepth && !depthUnreadable;
  // Short events: depth is too noisy to genotype; the pairs against the spanning reference fragments decide.
  const byPairs = genotypeFromCounts(fragments.spanning(start), cluster.length);
  const gt = g && svlen >= MIN_DEPTH_EVIDENCE / 2 ? g : byPairs;
  const ci = confidence(ctx);
  return {
    id: svCallId(unit.chromosome, start, end, type),
    chrom: unit.contig,
    start,
    end,
    type,
    svlen,
    ciPos: ci,
    ciEnd: ci,
    precise: false,
    genotype: confirmed ? (gt.genotype === '0/0' ? '0/1' : gt.genotype) : './.',
    genotypeQuality: confirmed ? gt.genotypeQuality : 0,
    pairedEnd: cluster.length,
    splitReads: 0,
    depthFoldChange: g?.fold ?? null,
    copyNumber: g?.copyNumber ?? null,
    score: Math.min(1, cluster.length / 10) * (confirmed ? 1 : 0.5),
    filter: confirmed ? 'PASS' : byDepth ? 'LowMappability' : changed || g === null ? 'LowSupport' : noDepthChange(type),
    evidence: withDepthEvidence(pairEvidence(cluster.length, meanMapq(cluster), fragments.spanning(start), gt.log10Likelihoods), depthEvidence(g, eventDepthLogRatio(type, start, end, depth, g))),
  };
}

/**
 * Depth's evidence for the claimed copy change over none: log10 likelihood of
 * the best changed genotype (one or two copies lost or gained) over two copies,
 * from the read starts inside against the flanks: depthGenotype's when it
 * measured the event, else (an event under a whole bin) smallEventDepthLogRatio.
 * Unlike the fold change, it weighs how many reads were counted: a 1.4-fold
 * rise over two bins is weak, over twenty strong. Null when not measurable.
 */
function eventDepthLogRatio(type: 'DEL' | 'DUP', start: number, end: number, depth: DepthBins, g: DepthGenotype | null): number | null {
  return g !== null ? changeLogRatio(g.log10Likelihoods) : smallEventDepthLogRatio(type, start, end, depth);
}

/**
 * Depth's log10 likelihood ratio for an event too small to hold a whole 100 bp bin (most deletions
 * and duplications under ~200 bp, where depthGenotype measures nothing): the read starts of the bins
 * it touches, each expected at the flanks' depth where it lies outside the event and at the claimed
 * copy number where it lies inside (Poisson). Weak evidence by nature, about one bin's reads, and the
 * ratio says so; it only feeds the scorer (evidence.depthLogRatio), never the caller's own decisions.
 */
export function smallEventDepthLogRatio(type: 'DEL' | 'DUP', start: number, end: number, depth: DepthBins): number | null {
  const flank = flankDepth(start, end, depth);
  const t = depth.touching(start, end);
  if (flank === null || t.bins === 0 || t.inside <= 0) return null;
  return changeLogRatio(copyLogLikelihoods(type, t.count, (cn) => flank * (t.bins - t.inside + (t.inside * cn) / 2), 0.05 * flank * t.bins));
}

/** What depth says of a deletion or duplication, as SvEvidence carries it (null or undefined: not measured). */
export interface DepthEvidence {
  depthLogRatio?: number | null;
  depthBetweenCopiesLogRatio?: number | null;
}

/** The depth evidence of a measurement: its depthGenotype (null: not measured over a whole bin) and depth log ratio. */
export function depthEvidence(g: DepthGenotype | null, depthLogRatio: number | null): DepthEvidence {
  return { depthLogRatio, depthBetweenCopiesLogRatio: g?.betweenCopiesLogRatio ?? null };
}

/** A call's evidence with what depth says of it, where it says anything (null or undefined fields: as they are). */
export function withDepthEvidence(evidence: SvEvidence, depth: DepthEvidence | null | undefined): SvEvidence {
  const out = { ...evidence };
  if (depth?.depthLogRatio !== null && depth?.depthLogRatio !== undefined) out.depthLogRatio = depth.depthLogRatio;
  if (depth?.depthBetweenCopiesLogRatio !== null && depth?.depthBetweenCopiesLogRatio !== undefined) out.depthBetweenCopiesLogRatio = depth.depthBetweenCopiesLogRatio;
  return out;
}

/**
 * FF clusters mark the left junction of an inversion, RR clusters the right
 * one; a FF and a RR cluster with matching ends are one inversion.
 */
function inversionCalls(pairs: Pair[], slack: number, ctx: CallerContext, fragments: SpanCoverage): SvCall[] {
  const rl = ctx.library.readLength;
  // FF: both junction sides lie right of the reads; RR: left of them.
  const ends = (c: Pair[], ff: boolean): [number, number] =>
    ff
      ? [Math.max(...c.map((p) => p.readEnd)), Math.max(...c.map((p) => p.mateStart + rl))]
      : [Math.min(...c.map((p) => p.readStart)), Math.min(...c.map((p) => p.mateStart))];
  const ff = clusterPairs(pairs.filter((p) => p.cls === 'INV_FF'), slack).map((c) => ({ c, at: ends(c, true) }));
  const rr = clusterPairs(pairs.filter((p) => p.cls === 'INV_RR'), slack).map((c) => ({ c, at: ends(c, false) }));
  const used = new Set<number>();
  const events: { pairs: number; start: number; end: number; both: boolean; mapq: number; ff: boolean }[] = [];
  for (const f of ff) {
    const i = rr.findIndex((r, k) => !used.has(k) && Math.abs(r.at[0] - f.at[0]) <= slack && Math.abs(r.at[1] - f.at[1]) <= slack);
    if (i >= 0) {
      used.add(i);
      const r = rr[i]!;
      events.push({ pairs: f.c.length + r.c.length, start: Math.round((f.at[0] + r.at[0]) / 2), end: Math.round((f.at[1] + r.at[1]) / 2), both: true, mapq: meanMapq([...f.c, ...r.c]), ff: true });
    } else {
      events.push({ pairs: f.c.length, start: f.at[0], end: f.at[1], both: false, mapq: meanMapq(f.c), ff: true });
    }
  }
  rr.forEach((r, k) => {
    if (!used.has(k)) events.push({ pairs: r.c.length, start: r.at[0], end: r.at[1], both: false, mapq: meanMapq(r.c), ff: false });
  });
  const out: SvCall[] = [];
  for (const e of events) {
    if (e.end - e.start < MIN_SV_LENGTH) continue;
    if (!e.both && e.pairs >= CONFIDENT_BALANCED_PAIRS && e.end - e.start >= LONE_JUNCTION_MIN) {
      // One junction with many pairs and no partner: a rearrangement junction within the chromosome
      // (part of a complex event, or an inversion whose other junction lies in a repeat). Reported as
      // what was seen, a breakend pair, rather than as an inversion that was not.
      out.push(...intraChromosomalJunction(ctx, fragments, e));
      continue;
    }
    out.push(
      // Both junctions seen in pairs: an inversion; one junction only needs split reads too (caller.ts).
      balancedCall(ctx, fragments, {
        id: svCallId(ctx.unit.chromosome, e.start, e.end, 'INV'),
        type: 'INV',
        start: e.start,
        end: e.end,
        pairs: e.pairs,
        // An inversion has two junctions: pairs at one junction only are too weak on their own (chimeric
        // fragments in real libraries make such clusters); split reads can still confirm it (caller.ts).
        confirmed: e.both && e.pairs >= CONFIDENT_PAIRS,
        mapq: e.mapq,
      }),
    );
  }
  return out;
}

/** A lone FF/RR junction this long (bp) is reported as a breakend pair; shorter ones stay unconfirmed INV candidates. */
const LONE_JUNCTION_MIN = 1_000;

/**
 * The two breakends of one same-strand junction within a chromosome: FF pairs
 * join the right ends of both pieces ('++'), RR pairs their left ends ('--').
 */
function intraChromosomalJunction(
  ctx: CallerContext,
  fragments: SpanCoverage,
  e: { pairs: number; start: number; end: number; mapq: number; ff: boolean },
): SvCall[] {
  const strands = (e.ff ? '++' : '--') as SvCall['strands'];
  const side = (pos: number, matePos: number): SvCall => ({
    ...balancedCall(ctx, fragments, {
      id: `BND-${ctx.unit.chromosome}-${pos}-${ctx.unit.contig}-${matePos}`,
      type: 'BND',
      start: pos,
      end: pos + 1,
      pairs: e.pairs,
      confirmed: true,
      mapq: e.mapq,
    }),
    mate: { chrom: ctx.unit.contig, pos: matePos, id: `BND-${ctx.unit.chromosome}-${matePos}-${ctx.unit.contig}-${pos}` },
    strands,
  });
  return [side(e.start, e.end), side(e.end, e.start)];
}

/**
 * A call with no depth signal (INV, BND), genotyped from its discordant pairs
 * against the concordant fragments spanning its first breakpoint.
 */
function balancedCall(
  ctx: CallerContext,
  fragments: SpanCoverage,
  c: { id: string; type: SvType; start: number; end: number; pairs: number; confirmed: boolean; mapq: number | null },
): SvCall {
  const gt = genotypeFromCounts(fragments.spanning(c.start), c.pairs);
  const ci = confidence(ctx);
  return {
    id: c.id,
    chrom: ctx.unit.contig,
    start: c.start,
    end: c.end,
    type: c.type,
    svlen: c.type === 'BND' ? 0 : c.end - c.start,
    ciPos: ci,
    ciEnd: ci,
    precise: false,
    genotype: c.confirmed ? (gt.genotype === '0/0' ? '0/1' : gt.genotype) : './.',
    genotypeQuality: c.confirmed ? gt.genotypeQuality : 0,
    pairedEnd: c.pairs,
    splitReads: 0,
    depthFoldChange: null,
    copyNumber: null,
    score: Math.min(1, c.pairs / 10) * (c.confirmed ? 1 : 0.5),
    filter: c.confirmed ? 'PASS' : 'LowSupport',
    evidence: pairEvidence(c.pairs, c.mapq, fragments.spanning(c.start), gt.log10Likelihoods),
  };
}

/** A 10 kb bin's GC is estimated from at least this many sampled reads. */
const MIN_GC_READS = 10;
/** Depth-only segments use 10 kb bins (100 depth bins) ... */
const SEGMENT_BIN = 10_000;
/** ... and must span 5 of them: 50 kb, the scale of a microarray's resolution. */
const SEGMENT_MIN_BINS = 5;
/**
 * A depth-only segment where more of the reads than this map ambiguously
 * (MAPQ < MIN_MAPQ) cannot be assessed: the unique depth of a segmental
 * duplication is low in every genome (`LowMappability`). Unique sequence
 * has 0-3 % of such reads in the benchmark's genomes; GRCh37 1:0.26-0.48 Mb,
 * a segmental duplication, about 56 %.
 */
export const MAX_LOW_MAPQ_FRACTION = 0.2;

/**
 * Depth can be read as copy number when most bins sit at a whole copy number
 * (`MIN_FIT_SHARE`); otherwise depth-only changes are `UnevenDepth`, with no
 * genotype, and the unit warns (with at least this many bins: a short contig's
 * few bins say little).
 */
function depthReadable(level: TwoCopyLevel): boolean {
  return level.fitShare >= MIN_FIT_SHARE;
}
const MIN_BINS_TO_WARN = 20;

/**
 * Large losses and gains seen by depth alone (no pairs: breakpoints in
 * repeats, or mosaic). Dropped where a pair call of the same direction
 * already covers half of the segment.
 */
function depthOnlyCalls(
  ctx: CallerContext,
  depth: DepthBins,
  pairCalls: SvCall[],
  gc: (number | null)[],
): { calls: SvCall[]; baseline: TwoCopyLevel | null } {
  const per = SEGMENT_BIN / depth.bin;
  const raw: number[] = [];
  for (let i = 0; i < depth.counts.length; i += per) {
    let sum = 0;
    for (let k = i; k < Math.min(i + per, depth.counts.length); k++) sum += depth.counts[k]!;
    raw.push(sum);
  }
  const whole = Math.floor(depth.counts.length / per);
  // Bins wholly inside a confident junction-called loss or gain: their copy number is known.
  const known = raw.slice(0, whole).map((_, i) => {
    const from = depth.start + i * SEGMENT_BIN;
    const anchor = pairCalls.find(
      (c) => (c.type === 'DEL' || c.type === 'DUP') && c.filter === 'PASS' && c.copyNumber !== null && c.copyNumber > 0 && c.start <= from && c.end >= from + SEGMENT_BIN,
    );
    return anchor?.copyNumber ?? null;
  });
  // Two copies: the level whose integer copy numbers explain the unit's bins best (docs/caller.md), from
  // the bins whose depth can be trusted (not where reads map ambiguously: segmental duplications).
  const trustedBin = raw.slice(0, whole).map((_, i) => {
    const from = depth.start + i * SEGMENT_BIN;
    return (depth.lowMapqFraction(from, from + SEGMENT_BIN) ?? 0) <= MAX_LOW_MAPQ_FRACTION;
  });
  const levelOf = (counts: number[]) => ({ counts, choice: twoCopyLevel(counts.slice(0, whole).map((c, i) => (trustedBin[i] ? c : 0)), known) });
  // Counts stay whole numbers for the Poisson model; the last (partial) bin keeps its count.
  const gcCorrected = levelOf(gcCorrect(raw, gc.slice(0, raw.length)).counts.map((c, i) => (i < whole ? Math.round(c) : raw[i]!)));
  // GC correction divides each bin by the median of bins of like GC. Where large losses and gains fill much of a
  // unit, that median mixes copy-number states: the correction blurs them (benchmark seed 60: 47 % of contig 20's
  // covered bins at one copy; 52 % of its bins at a whole copy number corrected, 90 % raw), or, where GC follows
  // the states, erases a loss outright. So the correction is used only when it makes the bins read better as
  // whole copy numbers, as it does where the library's GC bias is what spreads them.
  const uncorrected = levelOf(raw);
  const { counts, choice } = (gcCorrected.choice?.fitShare ?? 0) > (uncorrected.choice?.fitShare ?? 0) ? gcCorrected : uncorrected;
  const baseline = choice?.level ?? 0;
  const readable = choice !== null && depthReadable(choice);
  const out: SvCall[] = [];
  for (const seg of segmentDepth(counts, baseline, SEGMENT_MIN_BINS)) {
    const type: 'DEL' | 'DUP' = seg.copyNumber < 2 ? 'DEL' : 'DUP';
    const start = depth.start + seg.fromBin * SEGMENT_BIN;
    const end = Math.min(depth.end, depth.start + seg.toBin * SEGMENT_BIN);
    const covered = pairCalls.some(
      (c) => c.type === type && c.filter === 'PASS' && Math.min(c.end, end) - Math.max(c.start, start) >= 0.5 * (end - start),
    );
    if (covered) continue;
    const assessable = (depth.lowMapqFraction(start, end) ?? 0) <= MAX_LOW_MAPQ_FRACTION && readable;
    const edges = refineEdges(depth, start, end, type);
    out.push({
      id: svCallId(ctx.unit.chromosome, edges.start, edges.end, type),
      chrom: ctx.unit.contig,
      start: edges.start,
      end: edges.end,
      type,
      svlen: edges.end - edges.start,
      ciPos: edges.ciPos,
      ciEnd: edges.ciEnd,
      precise: false,
      genotype: !assessable ? './.' : seg.copyNumber === 4 ? '1/1' : '0/1',
      genotypeQuality: assessable ? Math.min(99, Math.round(10 * seg.log10Ratio)) : 0,
      pairedEnd: 0,
      splitReads: 0,
      depthFoldChange: Math.round((seg.observedCopyNumber / 2) * 1000) / 1000,
      copyNumber: seg.copyNumber,
      score: Math.min(1, seg.log10Ratio / 50) * (assessable ? 1 : 0.5),
      filter: assessable ? 'PASS' : !readable ? 'UnevenDepth' : 'LowMappability',
      evidence: { ...pairEvidence(0, null, 0, [0, 0, 0]), genotypeLogRatio: Math.round(seg.log10Ratio * 100) / 100 },
    });
  }
  return { calls: out, baseline: choice };
}

/**
 * A depth-only segment's ends, from its 10 kb bins to the 100 bp bins of
 * read starts: each end moves to the likeliest change of level within one
 * coarse bin of it (`refineBreakpoint`), with the positions its likelihood
 * cannot tell apart as CIPOS/CIEND. An end whose change is not clear keeps
 * the coarse position and ± one coarse bin; refined ends that would leave
 * less than half of the segment are not used.
 */
function refineEdges(
  depth: DepthBins,
  start: number,
  end: number,
  type: 'DEL' | 'DUP',
): { start: number; end: number; ciPos: [number, number]; ciEnd: [number, number] } {
  const span = SEGMENT_BIN / depth.bin;
  const at = (pos: number, direction: 'down' | 'up') => {
    const i = Math.round((pos - depth.start) / depth.bin);
    const b = refineBreakpoint(depth.counts, i - span, i + span, direction);
    if (!b) return { pos, ci: [-SEGMENT_BIN, SEGMENT_BIN] as [number, number] };
    // The change lies between two fine bins: the interval keeps one bin either side of the likely splits.
    return { pos: depth.start + b.bin * depth.bin, ci: [(b.lo - b.bin - 1) * depth.bin, (b.hi - b.bin + 1) * depth.bin] as [number, number] };
  };
  const left = at(start, type === 'DEL' ? 'down' : 'up');
  const right = at(end, type === 'DEL' ? 'up' : 'down');
  if (right.pos - left.pos < 0.5 * (end - start)) return { start, end, ciPos: [-SEGMENT_BIN, SEGMENT_BIN], ciEnd: [-SEGMENT_BIN, SEGMENT_BIN] };
  return { start: left.pos, end: Math.min(depth.end, right.pos), ciPos: left.ci, ciEnd: right.ci };
}

/** One side of a breakend pair; its mate is the other contig's activity's call. */
function breakendCall(cluster: Pair[], ctx: CallerContext, fragments: SpanCoverage): SvCall | null {
  const first = cluster[0]!;
  const mateContig = ctx.contigNames[first.mateRef];
  if (mateContig === undefined) return null;
  const rl = ctx.library.readLength;
  // A forward read has the junction on its right; a reverse read on its left. Same for the mate.
  const pos = first.readReverse ? Math.min(...cluster.map((p) => p.readStart)) : Math.max(...cluster.map((p) => p.readEnd));
  const matePos = first.mateReverse ? Math.min(...cluster.map((p) => p.mateStart)) : Math.max(...cluster.map((p) => p.mateStart + rl));
  return {
    ...balancedCall(ctx, fragments, {
      id: `BND-${ctx.unit.chromosome}-${pos}-${mateContig}-${matePos}`,
      type: 'BND',
      start: pos,
      end: pos + 1,
      pairs: cluster.length,
      confirmed: cluster.length >= CONFIDENT_BALANCED_PAIRS,
      mapq: meanMapq(cluster),
    }),
    mate: { chrom: mateContig, pos: matePos, id: '' },
    strands: `${first.readReverse ? '-' : '+'}${first.mateReverse ? '-' : '+'}` as SvCall['strands'],
  };
}
