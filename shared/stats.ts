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

/** The upper of the two middle values (a value of the set itself, e.g. a position); only for non-empty input. */
export function upperMedian(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
