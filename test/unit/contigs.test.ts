import { detectBuild, namingStyle, normaliseChromosome, planWorkUnits, selectContigs } from '../../shared/genome/contigs';

describe('contig names', () => {
  test.each([
    ['1', '1'], ['chr1', '1'], ['CHR22', '22'], ['chrX', 'X'], ['Y', 'Y'], ['chrM', 'M'], ['MT', 'M'],
    ['chr23', null], ['0', null], ['GL000220.1', null], ['chr1_KI270706v1_random', null], ['hs37d5', null], ['NC_000913.3', null],
  ])('%s → %s', (name, expected) => expect(normaliseChromosome(name)).toBe(expected));

  test('builds are told apart by primary chromosome lengths, in either naming', () => {
    expect(detectBuild([{ name: '1', length: 249_250_621 }])).toBe('GRCh37');
    expect(detectBuild([{ name: 'chr1', length: 248_956_422 }])).toBe('GRCh38');
    expect(detectBuild([{ name: '20', length: 63_025_520 }])).toBe('GRCh37');
    expect(detectBuild([{ name: '20', length: 2_000_000 }])).toBeNull();
    expect(detectBuild([{ name: 'NC_000913.3', length: 4_641_652 }])).toBeNull();
  });

  test('naming style', () => {
    expect(namingStyle([{ name: 'chr1' }, { name: 'chrX' }, { name: 'chrUn_x' }])).toBe('chr');
    expect(namingStyle([{ name: '1' }, { name: 'X' }])).toBe('plain');
  });
});

describe('contig selection', () => {
  const contigs = [
    { name: 'chr1', length: 1000 }, { name: 'chrX', length: 500 }, { name: 'chrM', length: 16 },
    { name: 'chr1_KI270706v1_random', length: 10 }, { name: 'chrEBV', length: 10 },
  ];
  test('primary chromosomes only by default; M, decoys, alts and unplaced skipped', () => {
    const s = selectContigs(contigs, { includeMitochondrial: false, includeNonPrimary: false });
    expect(s.selected.map((c) => c.chromosome)).toEqual(['1', 'X']);
    expect(s.skipped).toEqual(['chrM', 'chr1_KI270706v1_random', 'chrEBV']);
  });
  test('M and non-primary when asked', () => {
    const s = selectContigs(contigs, { includeMitochondrial: true, includeNonPrimary: true });
    expect(s.selected.map((c) => c.name)).toEqual(contigs.map((c) => c.name));
  });
  test('a BAM with no human chromosome is analysed on all its contigs', () => {
    const s = selectContigs([{ name: 'NC_000913.3', length: 100 }], { includeMitochondrial: false, includeNonPrimary: false });
    expect(s.selected).toEqual([{ name: 'NC_000913.3', length: 100, chromosome: 'NC_000913.3' }]);
  });
});

describe('work units', () => {
  test('cores tile each contig exactly; windows overlap by the setting', () => {
    const units = planWorkUnits([{ name: 'chr1', length: 250, chromosome: '1' }, { name: 'chr2', length: 90, chromosome: '2' }], {
      windowSize: 100,
      windowOverlap: 10,
    });
    expect(units.map((u) => [u.id, u.start, u.end, u.coreStart, u.coreEnd])).toEqual([
      ['chr1:0-100', 0, 110, 0, 100],
      ['chr1:100-200', 90, 210, 100, 200],
      ['chr1:200-250', 190, 250, 200, 250],
      ['chr2:0-90', 0, 90, 0, 90],
    ]);
  });
  test('a bad window size is refused', () => {
    expect(() => planWorkUnits([], { windowSize: 0, windowOverlap: 0 })).toThrow(/windowSize/);
  });
});
