import { type ChromosomeBins, karyotype } from '../../shared/cnv/karyotype';

/** Deterministic noise (LCG) so the fixtures are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * A genome as index bins: 22 autosomes + X (+ Y), ~500 bins each with 10%
 * noise and a few empty gap bins; `copies` overrides the two copies.
 */
function genome(copies: Record<string, number>, opts: { y?: boolean; seed?: number } = {}): ChromosomeBins[] {
  const rand = rng(opts.seed ?? 1);
  const chromosomes = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', ...(opts.y ? ['Y'] : [])];
  return chromosomes.map((chromosome) => {
    const cn = copies[chromosome] ?? (chromosome === 'Y' ? 1 : chromosome === 'X' && opts.y ? 1 : 2);
    const scores = Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? 0 : (cn / 2) * 100 * (0.9 + 0.2 * rand())));
    return { chromosome, scores };
  });
}

describe('karyotype from binned coverage', () => {
  test('a euploid female: no aneuploidy, XX', () => {
    const r = karyotype(genome({}));
    expect(r.aneuploidies).toEqual([]);
    expect(r.sexChromosomes).toBe('XX');
    expect(r.chromosomes.find((c) => c.chromosome === '21')?.copyNumber).toBeCloseTo(2, 1);
  });

  test('a euploid male: XY', () => {
    const r = karyotype(genome({}, { y: true }));
    expect(r.aneuploidies).toEqual([]);
    expect(r.sexChromosomes).toBe('XY');
  });

  test('trisomy 21: copy number 3, constitutional', () => {
    const r = karyotype(genome({ '21': 3 }, { y: true }));
    expect(r.aneuploidies).toEqual([{ chromosome: '21', kind: 'trisomy', copyNumber: expect.closeTo(3, 1), mosaicFraction: 1 }]);
  });

  test('monosomy 7', () => {
    const r = karyotype(genome({ '7': 1 }));
    expect(r.aneuploidies).toEqual([{ chromosome: '7', kind: 'monosomy', copyNumber: expect.closeTo(1, 1), mosaicFraction: 1 }]);
  });

  test('a 30 % mosaic trisomy 18: copy number 2.3, mosaic fraction ~0.3', () => {
    const r = karyotype(genome({ '18': 2.3 }));
    expect(r.aneuploidies).toHaveLength(1);
    expect(r.aneuploidies[0]).toMatchObject({ chromosome: '18', kind: 'trisomy' });
    expect(r.aneuploidies[0]!.copyNumber).toBeCloseTo(2.3, 1);
    expect(r.aneuploidies[0]!.mosaicFraction).toBeCloseTo(0.3, 1);
  });

  test.each([
    [{ X: 1 }, false, 'X0'],
    [{ X: 2 }, true, 'XXY'],
    [{ Y: 2 }, true, 'XYY'],
  ])('sex chromosomes %j (Y present: %s) → %s', (copies, y, expected) => {
    expect(karyotype(genome(copies, { y })).sexChromosomes).toBe(expected);
  });

  test('no false aneuploidy in 50 noisy euploid genomes', () => {
    for (let seed = 1; seed <= 50; seed++) expect(karyotype(genome({}, { seed })).aneuploidies).toEqual([]);
  });

  test('too little coverage: not assessed, and said so', () => {
    const r = karyotype([{ chromosome: '1', scores: [1, 2, 3] }]);
    expect(r.chromosomes).toEqual([]);
    expect(r.sexChromosomes).toBeNull();
    expect(r.notes.join()).toMatch(/not assessed/);
  });
});
