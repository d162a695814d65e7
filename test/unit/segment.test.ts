import { MIN_FIT_SHARE, refineBreakpoint, segmentDepth, twoCopyLevel } from '../../shared/cnv/segment';
import { modalLevel, upperMedian } from '../../shared/stats';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Poisson-like counts (normal approximation) around baseline x CN / 2 per bin. */
function bins(cn: number[], baseline = 600, seed = 7): number[] {
  const r = rng(seed);
  return cn.map((c) => {
    if (c < 0) return 0; // a gap
    const mean = (baseline * c) / 2;
    const z = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    return Math.max(1, Math.round(mean + z * Math.sqrt(mean)));
  });
}

const fill = (n: number, cn: number) => Array.from({ length: n }, () => cn);

describe('read-depth segmentation', () => {
  test('a one-copy loss and a one-copy gain are found with their bins and copy numbers', () => {
    const counts = bins([...fill(100, 2), ...fill(20, 1), ...fill(100, 2), ...fill(10, 3), ...fill(100, 2)]);
    const segs = segmentDepth(counts, 600, 5);
    expect(segs.map((s) => [s.fromBin, s.toBin, s.copyNumber])).toEqual([
      [100, 120, 1],
      [220, 230, 3],
    ]);
    expect(segs[0]!.observedCopyNumber).toBeCloseTo(1, 1);
    expect(segs[1]!.observedCopyNumber).toBeCloseTo(3, 1);
  });

  test('an assembly gap (no reads) is neither a loss nor part of one', () => {
    const segs = segmentDepth(bins([...fill(100, 2), ...fill(30, -1), ...fill(100, 2)]), 600, 5);
    expect(segs).toEqual([]);
    const beside = segmentDepth(bins([...fill(50, 2), ...fill(10, -1), ...fill(20, 1), ...fill(50, 2)]), 600, 5);
    expect(beside.map((s) => [s.fromBin, s.toBin, s.copyNumber])).toEqual([[60, 80, 1]]);
  });

  test('no segment in noisy two-copy data, over many seeds', () => {
    for (let seed = 1; seed <= 30; seed++) expect(segmentDepth(bins(fill(500, 2), 600, seed), 600, 5)).toEqual([]);
  });

  test('segments shorter than minBins are not reported', () => {
    expect(segmentDepth(bins([...fill(100, 2), ...fill(3, 1), ...fill(100, 2)]), 600, 5)).toEqual([]);
  });
});

describe('the two-copy baseline (modalLevel)', () => {
  test('it stays on the normal state when over half of the bins are below it, where the median does not', () => {
    // 45 normal bins, 35 at one copy, 20 scattered between (lower unique depth of segmental duplications).
    const scattered = Array.from({ length: 20 }, (_, i) => 1 + (i % 5) * 0.1);
    const counts = bins([...fill(45, 2), ...fill(35, 1), ...scattered], 1500);
    expect(upperMedian(counts)).toBeLessThan(1200);
    const level = modalLevel(counts, 0.2, 0.3)!;
    expect(level).toBeGreaterThan(1450);
    expect(level).toBeLessThan(1550);
  });

  test('no level when no band holds enough of the values, none for no values; zeros (no data) are ignored', () => {
    const spread = Array.from({ length: 100 }, (_, i) => 100 + i * 20);
    expect(modalLevel(spread, 0.2, 0.3)).toBeNull();
    expect(modalLevel([], 0.2, 0.3)).toBeNull();
    expect(modalLevel([0, 0, 0, 500, 510, 520], 0.2, 0.5)).toBe(510);
  });
});

describe('the two-copy level (twoCopyLevel): integer copy numbers that explain the bins best', () => {
  const level = (counts: number[]) => twoCopyLevel(counts)!.level;
  const near = (x: number, target: number) => Math.abs(x / target - 1) < 0.05;

  test('one-copy bins outnumbering the normal ones (seeds 43, 49, 51: ~1 Mb of het loss in a 3 Mb slice): two copies stay at the normal level, where the densest band is one copy', () => {
    // 55 bins at one copy, 40 at two, 8 scattered (the caller leaves out bins whose reads map ambiguously, so
    // few of a segmental duplication's remain), 5 near zero (a homozygous loss's stray reads).
    const scattered = Array.from({ length: 8 }, (_, i) => 0.6 + (i % 7) * 0.15);
    const counts = bins([...fill(55, 1), ...fill(40, 2), ...scattered, ...fill(5, 0.05)], 2000, 11);
    const fit = twoCopyLevel(counts)!;
    expect(near(fit.densest, 1000)).toBe(true);
    expect(near(fit.level, 2000)).toBe(true);
    expect(fit.log10Advantage).toBeGreaterThan(1);
    // Measured against it, the loss is a loss and the normal bins are not a gain.
    expect(segmentDepth(counts, fit.level, 5).map((s) => s.copyNumber)).toEqual(expect.arrayContaining([1]));
    expect(segmentDepth(counts, fit.level, 5).some((s) => s.copyNumber > 2)).toBe(false);
  });

  test('three-copy bins outnumbering the normal ones: two copies are still the normal level', () => {
    const counts = bins([...fill(45, 3), ...fill(40, 2), ...fill(15, 1)], 2000, 12);
    expect(near(twoCopyLevel(counts)!.densest, 3000)).toBe(true);
    expect(near(level(counts), 2000)).toBe(true);
  });

  test('a unit wholly at one level keeps it as two copies (a monosomy or trisomy is the karyotype screen\'s, not a segment\'s)', () => {
    for (const cn of [1, 2, 3]) {
      const counts = bins(fill(200, cn), 2000, 13 + cn);
      const fit = twoCopyLevel(counts)!;
      expect(near(fit.level, 1000 * cn)).toBe(true);
      expect(fit.log10Advantage).toBe(0);
    }
  });

  test('where one-copy bins outnumber the normal ones nearly two to one or more, the normal level would be four copies and the fit keeps the densest (the documented limit)', () => {
    const counts = bins([...fill(80, 1), ...fill(20, 2)], 2000, 17);
    expect(near(level(counts), 1000)).toBe(true);
  });

  test('normal data with mild noise and a few small changes: the densest band, unchanged', () => {
    const counts = bins([...fill(300, 2), ...fill(10, 1), ...fill(200, 2), ...fill(8, 3), ...fill(100, 2)], 1500, 19);
    const fit = twoCopyLevel(counts)!;
    expect(fit.level).toBe(fit.densest);
    expect(near(fit.level, 1500)).toBe(true);
  });

  test('how well depth reads as copy number: nearly every bin at a whole copy number in even data, a minority in a patchwork (a BAM cut to regions)', () => {
    const even = twoCopyLevel(bins([...fill(150, 2), ...fill(40, 1), ...fill(10, 3)], 2000, 23))!;
    expect(even.fitShare).toBeGreaterThan(0.95);
    expect(even.fitShare).toBeGreaterThanOrEqual(MIN_FIT_SHARE);
    // Counts spread evenly from 100 to 3,000 reads per bin: no level makes most of them whole copy numbers.
    const r = rng(29);
    const patchwork = twoCopyLevel(Array.from({ length: 200 }, () => Math.round(100 + 2900 * r())))!;
    expect(patchwork.fitShare).toBeLessThan(MIN_FIT_SHARE);
    expect(patchwork.bins).toBe(200);
  });

  test('at low depth (a chromosome Y without a Y, low-pass data) Poisson noise alone is not read as uneven depth', () => {
    for (const level of [4, 20, 60]) {
      const fit = twoCopyLevel(bins(fill(300, 2), level, 31 + level))!;
      expect(fit.fitShare).toBeGreaterThanOrEqual(MIN_FIT_SHARE);
    }
  });

  test('bins whose copy number a junction call gives count in that state only: a four-copy duplication outnumbering the normal bins (seed 54) is not taken for two copies', () => {
    // 90 bins of a homozygous duplication (four copies), 70 normal: unlabelled, the duplication reads as two copies.
    const counts = bins([...fill(90, 4), ...fill(70, 2)], 2000, 61);
    const unlabelled = twoCopyLevel(counts)!;
    expect(near(unlabelled.level, 4000)).toBe(true);
    const known = [...fill(90, 4), ...Array.from({ length: 70 }, () => null)];
    const labelled = twoCopyLevel(counts, known)!;
    expect(near(labelled.level, 2000)).toBe(true);
    expect(labelled.densest).toBe(unlabelled.densest);
  });

  test('no bins with data, no level', () => {
    expect(twoCopyLevel([])).toBeNull();
    expect(twoCopyLevel([0, 0, 0])).toBeNull();
  });
});

describe('a depth change located in fine bins (refineBreakpoint)', () => {
  test('a one-copy loss starting at bin 123 of 200 (20 reads per 100 bp bin, Poisson): found within two bins, the interval holding it; the end of a gain likewise', () => {
    const counts = bins([...fill(123, 2), ...fill(77, 1)], 20, 41);
    const b = refineBreakpoint(counts, 0, 200, 'down')!;
    expect(Math.abs(b.bin - 123)).toBeLessThanOrEqual(2);
    expect(b.lo).toBeLessThanOrEqual(123);
    expect(b.hi).toBeGreaterThanOrEqual(122);
    const gainEnd = bins([...fill(90, 3), ...fill(110, 2)], 20, 43);
    expect(Math.abs(refineBreakpoint(gainEnd, 0, 200, 'down')!.bin - 90)).toBeLessThanOrEqual(2);
  });

  test('no clear change, or a change the other way, gives no breakpoint (the coarse edge stands); a window is clipped to the data', () => {
    expect(refineBreakpoint(bins(fill(200, 2), 20, 47), 0, 200, 'down')).toBeNull();
    expect(refineBreakpoint(bins([...fill(100, 1), ...fill(100, 2)], 20, 53), 0, 200, 'down')).toBeNull();
    const edge = refineBreakpoint(bins([...fill(30, 2), ...fill(70, 1)], 20, 59), -50, 150, 'down')!;
    expect(Math.abs(edge.bin - 30)).toBeLessThanOrEqual(2);
  });
});
