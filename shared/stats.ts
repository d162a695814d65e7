/** Small robust statistics shared by the library profile, GC correction and the karyotype screen. */

/** MAD to standard deviation for a normal distribution. */
export const MAD_TO_SD = 1.4826;

/** The median (the mean of the two middle values for an even count); 0 for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The commonest value (ties: the smallest); only for non-empty input. */
export function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = values[0]!;
  let bestN = 0;
  for (const x of values) {
    const n = (counts.get(x) ?? 0) + 1;
    counts.set(x, n);
    if (n > bestN || (n === bestN && x < best)) {
      best = x;
      bestN = n;
    }
  }
  return best;
}

/** The upper of the two middle values (a value of the set itself, e.g. a position); only for non-empty input. */
export function upperMedian(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * The level most values sit at: the upper median of the densest window
 * [x, x * (1 + relativeWidth)] over the values (ties: the window whose
 * median is nearest the upper median). Null when that window holds less
 * than `minShare` of the values (no clear level), or for no values.
 *
 * Unlike the median it stays on the normal state when most of a stretch is
 * elsewhere but scattered (a large loss plus segmental duplications of
 * varying depth): the median then falls between the states.
 */
export function modalLevel(values: readonly number[], relativeWidth: number, minShare: number): number | null {
  const s = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const reference = s[s.length >> 1]!;
  let best: { n: number; level: number } | null = null;
  for (let i = 0, j = 0; i < s.length; i++) {
    // s[i..j) is every value in [s[i], s[i] * (1 + relativeWidth)]; j never falls behind i (s[i] itself is in it).
    while (j < s.length && s[j]! <= s[i]! * (1 + relativeWidth)) j++;
    const n = j - i;
    const level = s[i + (n >> 1)]!;
    if (best === null || n > best.n || (n === best.n && Math.abs(level - reference) < Math.abs(best.level - reference))) best = { n, level };
  }
  return best !== null && best.n >= minShare * s.length ? best.level : null;
}
