import { BIN_SIZE, type ChromosomeBins, karyotype, WINDOW_BINS } from '../../shared/cnv/karyotype';
import { CHROMOSOME_MAPS, type KaryotypeBuild } from '../../shared/genome/centromeres';

/** Deterministic noise (LCG) so the fixtures are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Spec {
  /** Copy number of whole autosomes other than 2. */
  copies?: Record<string, number>;
  /** [start, end) segments with another copy number. */
  segments?: { chromosome: string; start: number; end: number; copyNumber: number }[];
  x?: number;
  y?: number;
  seed?: number;
  /** Relative noise per 16 kb bin (uniform ±), and per 1 Mb window (uniform ±, like GC waves). */
  binNoise?: number;
  windowNoise?: number;
  /** Noise of these chromosomes' windows instead. */
  noisy?: Record<string, number>;
  /** A few stray reads on Y (mismapped from X) in a genome without Y. */
  strayY?: boolean;
  build?: KaryotypeBuild;
}

/**
 * A whole genome as index bins at its real chromosome lengths: 100 per bin
 * at two copies, 0 in centromeres and heterochromatin (N in the reference)
 * and, on Y, in the pseudoautosomal regions (their reads map to X).
 */
function genome(spec: Spec = {}): ChromosomeBins[] {
  const rand = rng(spec.seed ?? 1);
  const maps = CHROMOSOME_MAPS[spec.build ?? 'GRCh37'];
  const x = spec.x ?? 2;
  const y = spec.y ?? 0;
  const chromosomes = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y'];
  return chromosomes.map((chromosome) => {
    const map = maps[chromosome]!;
    const base = chromosome === 'X' ? x : chromosome === 'Y' ? y : (spec.copies?.[chromosome] ?? 2);
    const gaps = [map.centromere, ...map.heterochromatin, ...(chromosome === 'Y' ? [[0, 2_800_000] as const] : [])];
    const n = Math.floor(map.length / BIN_SIZE);
    const windowNoise = spec.noisy?.[chromosome] ?? spec.windowNoise ?? 0.02;
    let factor = 1;
    const scores = Array.from({ length: n }, (_, b) => {
      if (b % WINDOW_BINS === 0) factor = 1 + windowNoise * (2 * rand() - 1);
      const pos = b * BIN_SIZE;
      if (gaps.some(([s, e]) => pos + BIN_SIZE > s && pos < e)) return 0;
      const seg = spec.segments?.find((s) => s.chromosome === chromosome && pos >= s.start && pos < s.end);
      let cn = seg ? seg.copyNumber : base;
      if (chromosome === 'Y' && spec.strayY && b % 2000 < 40) cn = 0.5;
      return cn === 0 ? 0 : (cn / 2) * 100 * factor * (1 + (spec.binNoise ?? 0.1) * (2 * rand() - 1));
    });
    return { chromosome, scores };
  });
}

const cen = (chromosome: string) => CHROMOSOME_MAPS.GRCh37[chromosome]!.centromere;

describe('karyotype from binned coverage (GRCh37 arms)', () => {
  test('a euploid female: no aneuploidy, no arm event, XX; acrocentric short arms not assessed', () => {
    const r = karyotype(genome(), 'GRCh37');
    expect(r.aneuploidies).toEqual([]);
    expect(r.armEvents).toEqual([]);
    expect(r.sexChromosomes).toBe('XX');
    expect(r.build).toBe('GRCh37');
    expect(r.chromosomes.find((c) => c.chromosome === '21')?.copyNumber).toBeCloseTo(2, 1);
    expect(r.arms).toHaveLength(46);
    const notAssessed = r.arms!.filter((a) => a.copyNumber === null);
    expect(notAssessed.map((a) => `${a.chromosome}${a.arm}`)).toEqual(['13p', '14p', '15p', '21p', '22p']);
    expect(notAssessed[0]!.reason).toMatch(/acrocentric/);
    expect(r.arms!.find((a) => a.chromosome === '5' && a.arm === 'p')?.copyNumber).toBeCloseTo(2, 1);
    expect(r.notes.join('\n')).toMatch(/short arms of 13, 14, 15, 21, 22 \(acrocentric\) are not assessable/);
  });

  test('a euploid male: XY (Y judged outside its PARs and heterochromatin)', () => {
    const r = karyotype(genome({ x: 1, y: 1 }), 'GRCh37');
    expect(r.aneuploidies).toEqual([]);
    expect(r.sexChromosomes).toBe('XY');
    expect(r.chromosomes.find((c) => c.chromosome === 'Y')?.copyNumber).toBeCloseTo(1, 1);
  });

  test('stray reads on Y in a female do not make a Y', () => {
    const r = karyotype(genome({ strayY: true }), 'GRCh37');
    expect(r.sexChromosomes).toBe('XX');
  });

  test('GRCh38 coordinates work the same', () => {
    const r = karyotype(genome({ build: 'GRCh38', copies: { '21': 3 }, x: 1, y: 1 }), 'GRCh38');
    expect(r.aneuploidies).toEqual([{ chromosome: '21', kind: 'trisomy', copyNumber: expect.closeTo(3, 1), mosaicFraction: 1 }]);
    expect(r.sexChromosomes).toBe('XY');
  });

  test('trisomy 21: copy number 3, constitutional, not also an arm event', () => {
    const r = karyotype(genome({ copies: { '21': 3 }, x: 1, y: 1 }), 'GRCh37');
    expect(r.aneuploidies).toEqual([{ chromosome: '21', kind: 'trisomy', copyNumber: expect.closeTo(3, 1), mosaicFraction: 1 }]);
    expect(r.armEvents).toEqual([]);
  });

  test('monosomy 7: both arms at one copy, one whole-chromosome call', () => {
    const r = karyotype(genome({ copies: { '7': 1 } }), 'GRCh37');
    expect(r.aneuploidies).toEqual([{ chromosome: '7', kind: 'monosomy', copyNumber: expect.closeTo(1, 1), mosaicFraction: 1 }]);
    expect(r.armEvents).toEqual([]);
    expect(r.arms!.filter((a) => a.chromosome === '7').map((a) => a.copyNumber)).toEqual([expect.closeTo(1, 1), expect.closeTo(1, 1)]);
  });

  test('a 30 % mosaic trisomy 18: copy number 2.3, mosaic fraction ~0.3', () => {
    const r = karyotype(genome({ copies: { '18': 2.3 } }), 'GRCh37');
    expect(r.aneuploidies).toHaveLength(1);
    expect(r.aneuploidies[0]).toMatchObject({ chromosome: '18', kind: 'trisomy' });
    expect(r.aneuploidies[0]!.copyNumber).toBeCloseTo(2.3, 1);
    expect(r.aneuploidies[0]!.mosaicFraction).toBeCloseTo(0.3, 1);
    expect(r.armEvents).toEqual([]);
  });

  test('tetrasomy is a gain, not a trisomy', () => {
    const r = karyotype(genome({ copies: { '12': 4 } }), 'GRCh37');
    expect(r.aneuploidies).toEqual([{ chromosome: '12', kind: 'gain', copyNumber: expect.closeTo(4, 1), mosaicFraction: 1 }]);
  });

  test('a 5p deletion: an arm loss, no whole-chromosome call', () => {
    const r = karyotype(genome({ segments: [{ chromosome: '5', start: 0, end: cen('5')[0], copyNumber: 1 }] }), 'GRCh37');
    expect(r.aneuploidies).toEqual([]);
    expect(r.armEvents).toEqual([{ chromosome: '5', arm: 'p', kind: 'loss', copyNumber: expect.closeTo(1, 1), mosaicFraction: 1 }]);
  });

  test('an isochromosome 18q: 18p lost, 18q gained, named as such', () => {
    const [s, e] = cen('18');
    const r = karyotype(
      genome({
        segments: [
          { chromosome: '18', start: 0, end: s, copyNumber: 1 },
          { chromosome: '18', start: e, end: 1e9, copyNumber: 3 },
        ],
      }),
      'GRCh37',
    );
    expect(r.aneuploidies).toEqual([]);
    expect(r.armEvents).toEqual([
      { chromosome: '18', arm: 'p', kind: 'loss', copyNumber: expect.closeTo(1, 1), mosaicFraction: 1 },
      { chromosome: '18', arm: 'q', kind: 'gain', copyNumber: expect.closeTo(3, 1), mosaicFraction: 1 },
    ]);
    expect(r.notes.join('\n')).toMatch(/isochromosome i\(18q\)/);
  });

  test('a mosaic arm gain (40 % of cells, 1q)', () => {
    const r = karyotype(genome({ segments: [{ chromosome: '1', start: cen('1')[1], end: 1e9, copyNumber: 2.4 }] }), 'GRCh37');
    expect(r.aneuploidies).toEqual([]);
    expect(r.armEvents).toEqual([{ chromosome: '1', arm: 'q', kind: 'gain', copyNumber: expect.closeTo(2.4, 1), mosaicFraction: expect.closeTo(0.4, 1) }]);
  });

  test.each([
    [{ x: 1, y: 0 }, 'X0'],
    [{ x: 2, y: 1 }, 'XXY'],
    [{ x: 1, y: 2 }, 'XYY'],
    [{ x: 3, y: 0 }, 'XXX'],
  ])('sex chromosomes %j → %s', (sex, expected) => {
    expect(karyotype(genome(sex), 'GRCh37').sexChromosomes).toBe(expected);
  });

  test('X between whole copies (45,X/46,XX mosaic): not called, said so', () => {
    const r = karyotype(genome({ x: 1.5 }), 'GRCh37');
    expect(r.sexChromosomes).toBeNull();
    expect(r.notes.join('\n')).toMatch(/X at 1.5 copies.*mosaic.*not called/);
  });

  test('Y at half a copy (mosaic loss of Y): not called, said so', () => {
    const r = karyotype(genome({ x: 1, y: 0.5 }), 'GRCh37');
    expect(r.sexChromosomes).toBeNull();
    expect(r.notes.join('\n')).toMatch(/Y at 0.5 copies.*not called/);
  });

  test('an isochromosome Xq: X arms differ, sex chromosomes not called', () => {
    const [s, e] = cen('X');
    const r = karyotype(
      genome({
        segments: [
          { chromosome: 'X', start: 0, end: s, copyNumber: 1 },
          { chromosome: 'X', start: e, end: 1e9, copyNumber: 3 },
        ],
      }),
      'GRCh37',
    );
    expect(r.sexChromosomes).toBeNull();
    expect(r.notes.join('\n')).toMatch(/X arms differ/);
  });

  test('no false aneuploidy or arm event in 30 noisy euploid genomes', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = karyotype(genome({ seed, windowNoise: 0.1, binNoise: 0.3, x: seed % 2 ? 1 : 2, y: seed % 2 }), 'GRCh37');
      expect(r.aneuploidies).toEqual([]);
      expect(r.armEvents).toEqual([]);
      expect(r.sexChromosomes).toBe(seed % 2 ? 'XY' : 'XX');
    }
  });

  test('a gain hidden in noise is not called: could not assess, in the notes', () => {
    // Chromosome 21 at 2.3 copies but with windows scattered ±80 %: no call, and said so.
    const r = karyotype(genome({ copies: { '21': 2.3 }, noisy: { '21': 0.8 } }), 'GRCh37');
    expect(r.aneuploidies).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/chromosome 21: copy number .* could not assess/);
  });

  test('an index too coarse to resolve windows (low coverage, big blocks): not assessed', () => {
    // Data in one 16 kb bin out of 32, as when each BGZF block spans ~0.5 Mb.
    const sparse = genome({ copies: { '21': 3 } }).map((c) => ({ ...c, scores: c.scores.map((s, i) => (i % 32 === 0 ? s * 32 : 0)) }));
    const r = karyotype(sparse, 'GRCh37');
    expect(r.aneuploidies).toEqual([]);
    expect(r.sexChromosomes).toBeNull();
    expect(r.notes.join('\n')).toMatch(/index resolves too little.*not assessed/);
    // A genome with reads on a few chromosomes only (a partial BAM).
    const partial = genome().map((c) => (['1', '2', '3'].includes(c.chromosome) ? c : { ...c, scores: c.scores.map(() => 0) }));
    expect(karyotype(partial, 'GRCh37').notes.join('\n')).toMatch(/no data in the index.*not assessed/);
  });

  test('too little coverage: not assessed, and said so', () => {
    const r = karyotype([{ chromosome: '1', scores: [1, 2, 3] }], 'GRCh37');
    expect(r.chromosomes).toEqual([]);
    expect(r.sexChromosomes).toBeNull();
    expect(r.notes.join()).toMatch(/not assessed/);
  });
});

describe('karyotype without a build (whole chromosomes only)', () => {
  test('trisomy 21 is still called; no arms; a note says why', () => {
    const r = karyotype(genome({ copies: { '21': 3 }, x: 1, y: 1 }));
    expect(r.aneuploidies).toEqual([{ chromosome: '21', kind: 'trisomy', copyNumber: expect.closeTo(3, 1), mosaicFraction: 1 }]);
    expect(r.arms).toBeUndefined();
    expect(r.armEvents).toBeUndefined();
    expect(r.build).toBeNull();
    expect(r.sexChromosomes).toBe('XY');
    expect(r.notes.join('\n')).toMatch(/reference build not given: copy number per arm not assessed/);
  });

  test('an unknown build: the same, naming it', () => {
    const r = karyotype(genome(), 'hg18');
    expect(r.arms).toBeUndefined();
    expect(r.sexChromosomes).toBe('XX');
    expect(r.notes.join('\n')).toMatch(/build hg18 has no centromere map/);
  });
});
