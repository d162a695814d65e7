/**
 * The minimal caller of the foundation: deletions from discordant read pairs,
 * confirmed by a drop in read depth. It exists to exercise the whole path
 * behind the SvCaller interface; the full caller replaces it.
 *
 * Evidence: an FR pair whose insert exceeds median + DISCORDANT_SDS x SD of
 * the sample's own library spans a deletion of about (insert - median) bp.
 */
import type { SvCall } from '../contracts';
import { svCallId } from '../ids';
import { EXCLUDED_FLAGS, FLAG, type LeanRecord } from '../bam/record';
import { DepthBins } from './depth';
import type { CallerContext, CallerResult, SvCaller } from './types';

export const DELETION_CALLER_VERSION = '0.1.0';
/** Reads below this mapping quality are ignored (a common SV-caller default). */
export const MIN_MAPQ = 20;
/** An insert beyond median + 4 SD is discordant (~1 in 30,000 by chance for a normal library). */
const DISCORDANT_SDS = 4;
/** Deletions are structural from 50 bp (the SV convention). */
const MIN_SV_LENGTH = 50;
/** Pairs needed to propose a deletion. */
const MIN_PAIRS = 2;
/** Pairs that, with a depth drop, make a call PASS on any length. */
const CONFIDENT_PAIRS = 3;
/**
 * With fewer pairs, a depth drop must be measured over at least this many bp
 * (10 bins) to count: a halved depth over 1 kb at 15x is ~10 SD from chance.
 */
const MIN_DEPTH_EVIDENCE = 1_000;
/** Depth inside / flanks below which a deletion is confirmed (het expectation 0.5). */
const CONFIRM_FOLD = 0.75;
/** Below this fold change both copies are taken as lost (hom expectation 0). */
const HOM_FOLD = 0.25;
/** Flank measured on each side for the depth comparison (bp). */
const FLANK = 5_000;

interface Pair {
  /** 0-based exclusive end of the forward read (left side of the gap). */
  left: number;
  /** 0-based start of the reverse mate (right side of the gap). */
  right: number;
  insert: number;
}

export function createDeletionCaller(ctx: CallerContext): SvCaller {
  const { unit, library } = ctx;
  const depth = new DepthBins(unit.start, unit.end);
  const pairs: Pair[] = [];
  const threshold = library.insertSizeMedian + DISCORDANT_SDS * Math.max(library.insertSizeSd, 1);
  let reads = 0;
  let discordant = 0;

  return {
    name: 'lag-deletions',
    version: DELETION_CALLER_VERSION,
    observe(r: LeanRecord): void {
      if (r.flags & EXCLUDED_FLAGS || r.mapq < MIN_MAPQ) return;
      reads++;
      depth.add(r.start);
      if (!(r.flags & FLAG.paired) || r.flags & FLAG.mateUnmapped || r.next_refid !== r.ref_id) return;
      // Count each pair once, from its forward, leftmost read of an FR pair.
      if (r.flags & FLAG.reverse || !(r.flags & FLAG.mateReverse) || r.next_pos < r.start) return;
      if (r.tlen > threshold) {
        discordant++;
        pairs.push({ left: r.end, right: r.next_pos, insert: r.tlen });
      }
    },
    finish(): CallerResult {
      const warnings: string[] = [];
      if (library.insertSizeMedian <= 0) {
        warnings.push(`${unit.id}: no properly paired reads to learn the insert size from; deletions from read pairs cannot be called`);
        return { calls: [], warnings, stats: { reads, discordant } };
      }
      const calls = clusterPairs(pairs, library.insertSizeMedian, library.insertSizeSd)
        .map((cluster) => toCall(cluster, ctx, depth))
        .filter((c): c is SvCall => c !== null && c.start >= unit.coreStart && c.start < unit.coreEnd);
      return { calls, warnings, stats: { reads, discordant } };
    },
  };
}

/**
 * Greedy clustering in left-end order: a pair joins the open cluster when both
 * its ends are within one library spread (median + 3 SD) of the cluster's.
 */
function clusterPairs(pairs: Pair[], median: number, sd: number): Pair[][] {
  const slack = median + 3 * sd;
  const sorted = [...pairs].sort((a, b) => a.left - b.left);
  const clusters: Pair[][] = [];
  let open: Pair[] = [];
  for (const p of sorted) {
    const first = open[0];
    if (first && p.left - first.left <= slack && Math.abs(p.right - first.right) <= slack) {
      open.push(p);
    } else {
      if (open.length >= MIN_PAIRS) clusters.push(open);
      open = [p];
    }
  }
  if (open.length >= MIN_PAIRS) clusters.push(open);
  return clusters;
}

function toCall(cluster: Pair[], ctx: CallerContext, depth: DepthBins): SvCall | null {
  const { unit, library } = ctx;
  // The gap lies right of every forward read and left of every reverse mate.
  const start = Math.max(...cluster.map((p) => p.left));
  const end = Math.min(...cluster.map((p) => p.right));
  const inserts = cluster.map((p) => p.insert).sort((a, b) => a - b);
  const estimated = Math.round(inserts[inserts.length >> 1]! - library.insertSizeMedian);
  // When the reads sit far from the breakpoints the gap overstates the event; trust the insert.
  const svEnd = end - start > estimated * 1.5 ? start + estimated : end;
  const svlen = svEnd - start;
  if (svlen < MIN_SV_LENGTH) return null;

  const inside = depth.mean(start, svEnd);
  const flankLen = Math.min(FLANK, Math.max(1_000, svlen));
  const left = depth.mean(start - flankLen, start);
  const right = depth.mean(svEnd, svEnd + flankLen);
  const flanks = [left, right].filter((x): x is number => x !== null && x > 0);
  const flank = flanks.length ? flanks.reduce((a, b) => a + b, 0) / flanks.length : null;
  const fold = inside !== null && flank !== null ? inside / flank : null;
  const depthDrop = fold !== null && fold < CONFIRM_FOLD;
  const confirmed = depthDrop && (cluster.length >= CONFIDENT_PAIRS || svlen >= MIN_DEPTH_EVIDENCE);
  const hom = fold !== null && fold < HOM_FOLD;
  const spread = library.insertSizeMedian + 3 * library.insertSizeSd;
  return {
    id: svCallId(unit.chromosome, start, svEnd, 'DEL'),
    chrom: unit.contig,
    start,
    end: svEnd,
    type: 'DEL',
    svlen,
    ciPos: [-Math.round(spread / 2), Math.round(spread / 2)],
    ciEnd: [-Math.round(spread / 2), Math.round(spread / 2)],
    precise: false,
    genotype: confirmed ? (hom ? '1/1' : '0/1') : './.',
    // Phred-like confidence from how many pairs agree; the full caller computes real likelihoods.
    genotypeQuality: Math.min(99, cluster.length * 5),
    pairedEnd: cluster.length,
    splitReads: 0,
    depthFoldChange: fold === null ? null : Math.round(fold * 1000) / 1000,
    copyNumber: fold === null ? null : Math.round(2 * fold),
    score: Math.min(1, cluster.length / 10) * (confirmed ? 1 : 0.5),
    filter: confirmed ? 'PASS' : depthDrop ? 'LowSupport' : 'NoDepthDrop',
  };
}
