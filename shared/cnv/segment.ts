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

import { modalLevel, upperMedian } from '../stats';

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

/** Prior share of a unit's bins per copy number (the rest: outliers, see `twoCopyLevel`). */
const LEVEL_PRIOR: readonly [copyNumber: number, prior: number][] = [
  [1, 0.15],
  [2, 0.6],
  [3, 0.15],
  [4, 0.05],
];
/** Bins that fit no copy number (segmental duplications' scattered depth, homozygous losses' stray reads). */
const OUTLIER_PRIOR = 0.05;
/** Bin-to-bin spread of a copy-number state, relative to its mean (Poisson at 30x is ~2 %; real bins are wider). */
const LEVEL_SD = 0.08;
/** Density peaks: bands 20 % wide, each holding at least 10 % of the bins, at most 4. */
const PEAK_WIDTH = 0.2;
const PEAK_MIN_SHARE = 0.1;
/** The densest band counts as a level when it holds this share of the bins; otherwise their upper median does. */
const DENSEST_MIN_SHARE = 0.3;
const MAX_PEAKS = 4;
/** A bin fits a copy number within this (relative). */
const FIT_TOLERANCE = 0.1;
/**
 * Below this share of bins at a whole copy number, depth cannot be read as copy number (a BAM cut to
 * regions, a very noisy library): depth-only changes are not assessed. Between the patchwork HG002
 * test subset (0.57) and the least even simulated genome (0.78; 0.78-0.95 over seeds 42-53).
 */
export const MIN_FIT_SHARE = 2 / 3;

export interface TwoCopyLevel {
  /** Expected count per bin for two copies. */
  level: number;
  /** The unit's densest depth band; `level` differs from it when that band is not two copies. */
  densest: number;
  /** log10 likelihood of the chosen level over the densest band as two copies (0 when they are one). */
  log10Advantage: number;
  /**
   * Share of the bins within 10 % (or, at low depth, two Poisson standard deviations) of a whole copy
   * number (0-4) at `level`: how well depth can be read here.
   */
  fitShare: number;
  /** Bins with data the level was fitted on. */
  bins: number;
}

/**
 * The count per bin that means two copies, from a unit's bin counts (> 0;
 * zeros are no data). The densest band is two copies only when the normal
 * state is the unit's largest; a large loss can outnumber it (a 3 Mb slice
 * with ~1 Mb of heterozygous deletion and segmental duplications, a 5p
 * terminal deletion filling most of its window). So each density peak p is
 * tried as one, two, three and four copies (level 2p/CN), and the level
 * whose integer copy numbers explain the bins best wins: a mixture of
 * states CN x level / 2 (prior: mostly two copies, some one or three, few
 * four) with an outlier floor. A unit wholly at one level keeps it as two
 * copies (an aneuploidy is the karyotype screen's, not a segment's); a unit
 * with one-copy and two-copy stretches keeps the upper one unless the
 * lower outnumbers it nearly two to one (then the upper would be four
 * copies, which the prior makes rare).
 *
 * `known[i]`, when given, is bin i's copy number from a junction call that
 * covers it (a deletion or duplication found by its pairs or split reads,
 * its copy number measured against its own flanks): those bins count in
 * that state only. So a large homozygous duplication that holds more of a
 * unit than its normal bins (benchmark seed 54: 865 kb at four copies in a
 * 3 Mb slice) cannot pass for two copies.
 */
export function twoCopyLevel(values: readonly number[], known: readonly (number | null)[] = []): TwoCopyLevel | null {
  const all = values.filter((v) => v > 0);
  const total = all.length;
  if (total === 0) return null;
  // Density peaks, densest first: each peak's band is taken out before the next is looked for.
  const peaks: number[] = [];
  let rest = all;
  while (peaks.length < MAX_PEAKS && rest.length >= PEAK_MIN_SHARE * total) {
    const p = modalLevel(rest, PEAK_WIDTH, 0);
    if (p === null) break;
    const outside = rest.filter((v) => v < p / (1 + PEAK_WIDTH) || v > p * (1 + PEAK_WIDTH));
    if (rest.length - outside.length < PEAK_MIN_SHARE * total) break;
    peaks.push(p);
    rest = outside;
  }
  // As before this fit: the densest band, or the upper median when no band holds 30 % of the bins (noisy depth).
  const densest = modalLevel(all, PEAK_WIDTH, DENSEST_MIN_SHARE) ?? upperMedian(all);
  const outlierDensity = OUTLIER_PRIOR / (Math.max(...all) + 1);
  const density = (v: number, mu: number) => {
    const sd = LEVEL_SD * mu;
    return Math.exp(-0.5 * ((v - mu) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
  };
  const logLikelihood = (level: number): number => {
    let sum = 0;
    values.forEach((v, i) => {
      if (!(v > 0)) return;
      let p = outlierDensity;
      const cnKnown = known[i];
      // A bin inside a junction-called change has the copy number its reads and flanks gave it.
      if (cnKnown !== null && cnKnown !== undefined && cnKnown > 0) p += density(v, (level * cnKnown) / 2);
      else for (const [cn, prior] of LEVEL_PRIOR) p += prior * density(v, (level * cn) / 2);
      sum += Math.log10(p);
    });
    return sum;
  };
  const base = logLikelihood(densest);
  let best = { level: densest, ll: base };
  for (const p of peaks) {
    for (const [cn] of LEVEL_PRIOR) {
      const level = (2 * p) / cn;
      if (level === densest) continue;
      const ll = logLikelihood(level);
      if (ll > best.ll) best = { level, ll };
    }
  }
  // A level read off another peak (2p/CN) lands near a peak of its own: take the measured one.
  const level = best.level === densest ? densest : (peaks.find((p) => Math.abs(p / best.level - 1) <= PEAK_WIDTH / 2) ?? best.level);
  // Zero copies: a homozygous loss keeps a few stray reads. At low depth Poisson noise alone spreads
  // a state wider than 10 %: a bin then fits within two of its standard deviations.
  const fitsState = (v: number, mu: number) => Math.abs(v - mu) <= Math.max(FIT_TOLERANCE * mu, 2 * Math.sqrt(mu));
  const fits = all.filter((v) => v <= FIT_TOLERANCE * level || LEVEL_PRIOR.some(([cn]) => fitsState(v, (level * cn) / 2))).length;
  return { level, densest, log10Advantage: Math.round((best.ll - base) * 10) / 10, fitShare: fits / all.length, bins: all.length };
}

export interface Breakpoint {
  /** The first bin of the right-hand level. */
  bin: number;
  /** Bins whose split is within the confidence drop of the best: [lo, hi]. */
  lo: number;
  hi: number;
}

/** A split must beat one level over the window by this much (natural log of the likelihood ratio). */
const BREAKPOINT_MIN_GAIN = 20;
/** Splits within this of the best one's log-likelihood are in its confidence interval (~99 %). */
const BREAKPOINT_CI_DROP = 3.3;

/**
 * Where a depth change sits within `counts[from..to)` (fine bins, e.g. 100
 * bp of read starts): the split into two Poisson levels with the highest
 * likelihood, the right-hand level lower (`down`) or higher (`up`) than the
 * left. A deletion's reads stop starting at its first base and start again
 * at its end, so the split is sharp to a bin or two. Null when no split
 * that way explains the window clearly better than one level (noise, a
 * repeat's depth, a change elsewhere): the coarse edge then stands.
 */
export function refineBreakpoint(counts: ArrayLike<number>, from: number, to: number, direction: 'down' | 'up'): Breakpoint | null {
  const a = Math.max(0, from);
  const b = Math.min(counts.length, to);
  const n = b - a;
  if (n < 4) return null;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + counts[a + i]!;
  // log-likelihood of k counts summing to s under their own mean, without the terms that cancel.
  const ll = (s: number, k: number) => (s > 0 ? s * Math.log(s / k) - s : 0);
  const whole = ll(prefix[n]!, n);
  const scores = new Float64Array(n);
  let best = -1;
  for (let k = 2; k <= n - 2; k++) {
    const left = prefix[k]!;
    const right = prefix[n]! - left;
    const rising = right / (n - k) > left / k;
    if (rising !== (direction === 'up')) {
      scores[k] = -Infinity;
      continue;
    }
    scores[k] = ll(left, k) + ll(right, n - k);
    if (best < 0 || scores[k]! > scores[best]!) best = k;
  }
  if (best < 0 || scores[best]! - whole < BREAKPOINT_MIN_GAIN) return null;
  let lo = best;
  let hi = best;
  while (lo - 1 >= 2 && scores[lo - 1]! >= scores[best]! - BREAKPOINT_CI_DROP) lo--;
  while (hi + 1 <= n - 2 && scores[hi + 1]! >= scores[best]! - BREAKPOINT_CI_DROP) hi++;
  return { bin: a + best, lo: a + lo, hi: a + hi };
}
