/**
 * Read-depth segmentation: copy-number segments from read counts in fixed
 * bins, for large deletions and duplications that leave no breakpoint
 * evidence (breakpoints in repeats, low coverage, mosaic events).
 *
 * A hidden Markov model over copy number 1..4 (0 is left to read pairs:
 * without a reference, an empty stretch may be an assembly gap rather than a
 * homozygous loss), Poisson emissions with mean `baseline x CN / 2`, and a
 * switch penalty that makes a segment pay for itself; Viterbi path.
 * Bins with no reads at all are treated as missing data, so gaps neither
 * start nor extend a segment.
 */

export interface DepthSegment {
  /** Bin indexes, half-open. */
  fromBin: number;
  toBin: number;
  copyNumber: number;
  /** Mean count / baseline x 2 over the segment. */
  observedCopyNumber: number;
  /** log10 likelihood ratio of the segment's CN against two copies. */
  log10Ratio: number;
}

const STATES = [1, 2, 3, 4] as const;
const NORMAL = 1; // index of CN 2 in STATES
/**
 * Cost of a change of state, in log10 units: a segment must gain more than
 * 2 x 6 = 12 orders of magnitude of likelihood before it is preferred over
 * two copies, which keeps noise and mild GC waves from forming segments.
 */
const SWITCH_LOG10 = 6;

function logPoisson(k: number, lambda: number): number {
  // log10 of Poisson(k; lambda) without the k! term, which cancels between states.
  return (k * Math.log(lambda) - lambda) / Math.LN10;
}

/**
 * Segments whose copy number differs from two, of at least `minBins` bins.
 * `counts[i]` is the reads in bin i; `baseline` the expected count for two copies.
 */
export function segmentDepth(counts: ArrayLike<number>, baseline: number, minBins: number): DepthSegment[] {
  const n = counts.length;
  if (n === 0 || !(baseline > 0)) return [];
  const S = STATES.length;
  const score = new Float64Array(S);
  const back: Uint8Array[] = [];
  const emit = (k: number, s: number) => logPoisson(k, (baseline * STATES[s]!) / 2);
  for (let s = 0; s < S; s++) score[s] = s === NORMAL ? 0 : -SWITCH_LOG10;
  for (let i = 0; i < n; i++) {
    const k = counts[i]!;
    const from = new Uint8Array(S);
    const next = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      let best = -Infinity;
      let arg = 0;
      for (let t = 0; t < S; t++) {
        const v = score[t]! - (t === s ? 0 : SWITCH_LOG10);
        if (v > best) {
          best = v;
          arg = t;
        }
      }
      from[s] = arg;
      // An empty bin is missing data (a gap or unmappable): it favours no state.
      next[s] = best + (k === 0 ? 0 : emit(k, s));
    }
    back.push(from);
    score.set(next);
  }
  // Trace back.
  const path = new Uint8Array(n);
  let s = 0;
  for (let t = 1; t < S; t++) if (score[t]! > score[s]!) s = t;
  for (let i = n - 1; i >= 0; i--) {
    path[i] = s;
    s = back[i]![s]!;
  }
  const segments: DepthSegment[] = [];
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && path[end] === path[start]) end++;
    const state = path[start]!;
    // Empty bins at a segment's edges are gaps, not part of it.
    let i = start;
    let j = end;
    while (i < j && counts[i] === 0) i++;
    while (j > i && counts[j - 1] === 0) j--;
    start = end;
    if (state !== NORMAL && j - i >= minBins) {
      let sum = 0;
      let used = 0;
      let llr = 0;
      for (let b = i; b < j; b++) {
        const k = counts[b]!;
        if (k === 0) continue;
        sum += k;
        used++;
        llr += emit(k, state) - emit(k, NORMAL);
      }
      if (used >= minBins) {
        segments.push({
          fromBin: i,
          toBin: j,
          copyNumber: STATES[state]!,
          observedCopyNumber: Math.round(((2 * sum) / used / baseline) * 100) / 100,
          log10Ratio: Math.round(llr * 10) / 10,
        });
      }
    }
  }
  return segments;
}
