/**
 * GC correction of binned read depth. Library preparation and PCR make read
 * depth depend on the GC content of the sequence, in a curve that differs
 * from library to library. Uncorrected, GC-rich or GC-poor stretches look
 * like gains or losses to a depth segmenter.
 *
 * The curve is learnt from the sample itself: bins are ranked by GC, and a
 * bin's expected count is the median count of its `window` nearest bins in
 * that ranking (a running median, robust to the few bins that a real CNV
 * changes, since those are spread over all GC values). The corrected count
 * is count x (median of all bins / expected). A bin's GC comes from the
 * bases of the reads in it, so no reference is needed; bins without reads
 * (gaps) or without a GC estimate keep their count.
 */
import { median } from '../stats';

/** Bins in the running median: ~0.5 Mb of 10 kb bins, enough for a stable median. */
export const GC_WINDOW = 51;
/**
 * Below this many bins with a GC estimate (~5 Mb of 10 kb bins) the curve is
 * learnt from too little sequence to trust (one region's repeats would set
 * it): counts are returned as they are. Work units of a whole genome are
 * tens of Mb.
 */
export const GC_MIN_BINS = 10 * GC_WINDOW;

export interface GcCorrection {
  counts: number[];
  /** False when there were too few bins with a GC estimate to learn the curve. */
  applied: boolean;
}

/**
 * Counts corrected for GC. `gc[i]` is bin i's GC fraction (0..1), or null
 * when unknown. Counts of 0 are gaps and are never changed.
 */
export function gcCorrect(counts: readonly number[], gc: readonly (number | null)[], window = GC_WINDOW): GcCorrection {
  const usable: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0 && gc[i] !== null && gc[i] !== undefined) usable.push(i);
  if (usable.length < Math.max(GC_MIN_BINS, window)) return { counts: [...counts], applied: false };
  usable.sort((a, b) => gc[a]! - gc[b]! || a - b);
  const overall = median(usable.map((i) => counts[i]!));
  const out = [...counts];
  const half = window >> 1;
  for (let r = 0; r < usable.length; r++) {
    const from = Math.max(0, Math.min(r - half, usable.length - window));
    const expected = median(usable.slice(from, from + window).map((i) => counts[i]!));
    const i = usable[r]!;
    if (expected > 0) out[i] = (counts[i]! * overall) / expected;
  }
  return { counts: out, applied: true };
}
