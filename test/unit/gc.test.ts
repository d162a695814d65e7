/**
 * GC correction on a synthetic chromosome whose depth follows a GC curve
 * (±40 % between GC-poor and GC-rich stretches, as PCR-heavy libraries do),
 * with one real one-copy loss.
 */
import { gcCorrect, GC_MIN_BINS } from '../../shared/cnv/gc';
import { segmentDepth } from '../../shared/cnv/segment';

function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** 1,200 bins of 10 kb: GC drifts in long waves (isochores); bins 600-659 lose one copy. */
function chromosome() {
  const rnd = lcg(7);
  const gc: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const g = 0.42 + 0.1 * Math.sin(i / 40) + 0.02 * (rnd() - 0.5);
    const bias = 1 + 4 * (g - 0.42);
    const cn = i >= 600 && i < 660 ? 1 : 2;
    const mean = 400 * bias * (cn / 2);
    // Normal approximation to Poisson noise.
    const noise = Math.sqrt(mean) * (rnd() + rnd() + rnd() - 1.5) * 2;
    gc.push(g);
    counts.push(Math.max(1, Math.round(mean + noise)));
  }
  return { gc, counts };
}

const baseline = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

describe('GC correction of binned depth', () => {
  test('without it, GC waves look like gains and losses', () => {
    const { counts } = chromosome();
    const segments = segmentDepth(counts, baseline(counts), 5);
    expect(segments.filter((s) => !(s.fromBin >= 590 && s.toBin <= 670)).length).toBeGreaterThan(0);
  });

  test('with it, only the real loss remains, with its copy number', () => {
    const { counts, gc } = chromosome();
    const corrected = gcCorrect(counts, gc);
    expect(corrected.applied).toBe(true);
    const whole = corrected.counts.map(Math.round);
    const segments = segmentDepth(whole, baseline(whole), 5);
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ copyNumber: 1 });
    expect(Math.abs(segments[0]!.fromBin - 600)).toBeLessThanOrEqual(2);
    expect(Math.abs(segments[0]!.toBin - 660)).toBeLessThanOrEqual(2);
  });

  test('gaps and bins without a GC estimate keep their counts; too few bins leave everything as it is', () => {
    const { counts, gc } = chromosome();
    counts[10] = 0;
    const withUnknown: (number | null)[] = [...gc];
    withUnknown[20] = null;
    const out = gcCorrect(counts, withUnknown).counts;
    expect(out[10]).toBe(0);
    expect(out[20]).toBe(counts[20]);
    const few = gcCorrect(counts.slice(0, GC_MIN_BINS - 1), gc.slice(0, GC_MIN_BINS - 1));
    expect(few).toEqual({ counts: counts.slice(0, GC_MIN_BINS - 1), applied: false });
  });
});
