/**
 * Acceptance (issue 3, karyotype): SIMULATED whole-genome BAMs (GRCh37
 * header, synthetic pairs at ~0.01x whose density encodes the karyotype; see
 * test/sims/karyotypeSims.ts) go through the real path of profileGenome —
 * openAlignment, detectBuild, indexBins (BAI only), karyotype — and the
 * calls must be right: trisomy 21 at 3 copies, 45,X, a 30 % mosaic +18, an
 * arm deletion as an arm event only, and nothing on euploid genomes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFile } from 'generic-filehandle2';
import { openAlignment } from '../../shared/bam/open';
import { indexBins, sampleLibrary, coverageFromIndex } from '../../shared/bam/profile';
import { karyotype, type KaryotypeResult } from '../../shared/cnv/karyotype';
import { detectBuild } from '../../shared/genome/contigs';
import { KARYOTYPE_SIMS, writeKaryotypeSims } from '../sims/karyotypeSims';

let dir: string;
let paths: Record<string, string>;
const results = new Map<string, KaryotypeResult>();

async function screen(name: string): Promise<KaryotypeResult> {
  const cached = results.get(name);
  if (cached) return cached;
  const bam = paths[name]!;
  const aln = await openAlignment(new LocalFile(bam), new LocalFile(`${bam}.bai`), { bam: `${name}.bam`, bai: `${name}.bam.bai` });
  expect(aln.warnings).toEqual([]);
  const build = detectBuild(aln.header.contigs);
  expect(build).toBe('GRCh37');
  const r = karyotype(await indexBins(aln.bam, aln.header.contigs), build);
  results.set(name, r);
  return r;
}

const cn = (r: KaryotypeResult, chromosome: string) => r.chromosomes.find((c) => c.chromosome === chromosome)?.copyNumber;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lag-karyotype-sims-'));
  paths = writeKaryotypeSims(dir);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('karyotype of simulated genomes (index only)', () => {
  test('the simulations are valid paired-end BAMs with a GRCh37 header', async () => {
    expect(Object.keys(paths).sort()).toEqual(KARYOTYPE_SIMS.map((s) => s.name).sort());
    const bam = paths['sim-46XY']!;
    const aln = await openAlignment(new LocalFile(bam), new LocalFile(`${bam}.bai`), { bam: 'sim-46XY.bam', bai: 'sim-46XY.bam.bai' });
    expect(aln.header.contigs).toHaveLength(25);
    expect(aln.header.text).toMatch(/SIMULATED/);
    const library = await sampleLibrary(aln.bam, 'sim-46XY.bam', await coverageFromIndex(aln.bam, aln.header.contigs, 0));
    expect(library.readsSampled).toBeGreaterThan(0);
    expect(library.pairedFraction).toBe(1);
    expect(library.insertSizeMedian).toBeGreaterThan(250);
    expect(library.insertSizeMedian).toBeLessThan(350);
  });

  test.each([
    ['sim-46XX', 'XX'],
    ['sim-46XY', 'XY'],
  ])('euploid %s: no aneuploidy, no arm event, sex %s', async (name, sex) => {
    const r = await screen(name);
    expect(r.aneuploidies).toEqual([]);
    expect(r.armEvents).toEqual([]);
    expect(r.sexChromosomes).toBe(sex);
    for (const c of r.chromosomes.filter((x) => /^\d+$/.test(x.chromosome))) expect(Math.abs(c.copyNumber - 2)).toBeLessThan(0.1);
    // Every autosome and both arms of the non-acrocentric ones are assessed; acrocentric short arms are not.
    expect(r.chromosomes.map((c) => c.chromosome)).toEqual([...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y']);
    expect(r.arms?.filter((a) => a.copyNumber === null).map((a) => `${a.chromosome}${a.arm}`)).toEqual(['13p', '14p', '15p', '21p', '22p']);
    expect(r.notes.join('\n')).not.toMatch(/could not assess|not called/);
  });

  test('47,XY,+21: trisomy 21 at 3 copies, constitutional', async () => {
    const r = await screen('sim-47XY+21');
    expect(r.aneuploidies).toHaveLength(1);
    const t21 = r.aneuploidies[0]!;
    expect(t21).toMatchObject({ chromosome: '21', kind: 'trisomy' });
    expect(Math.abs(t21.copyNumber - 3)).toBeLessThanOrEqual(0.15);
    expect(t21.mosaicFraction).toBeGreaterThanOrEqual(0.9);
    expect(r.armEvents).toEqual([]);
    expect(r.sexChromosomes).toBe('XY');
  });

  test('45,X: X0, one X copy, no Y, no autosomal call', async () => {
    const r = await screen('sim-45X');
    expect(r.sexChromosomes).toBe('X0');
    expect(Math.abs(cn(r, 'X')! - 1)).toBeLessThan(0.15);
    expect(cn(r, 'Y')).toBeLessThan(0.2);
    expect(r.aneuploidies).toEqual([]);
  });

  test('30 % mosaic +18: trisomy 18 at ~2.3 copies, mosaic fraction 0.3', async () => {
    const r = await screen('sim-mos18');
    expect(r.aneuploidies).toHaveLength(1);
    const t18 = r.aneuploidies[0]!;
    expect(t18).toMatchObject({ chromosome: '18', kind: 'trisomy' });
    expect(Math.abs(t18.copyNumber - 2.3)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(t18.mosaicFraction - 0.3)).toBeLessThanOrEqual(0.1);
    // A whole-chromosome change: not also two arm events.
    expect(r.armEvents).toEqual([]);
    expect(r.sexChromosomes).toBe('XX');
  });

  test('46,XY,del(5)(p11): a 5p loss at one copy, no whole-chromosome call', async () => {
    const r = await screen('sim-del5p');
    expect(r.aneuploidies).toEqual([]);
    expect(r.armEvents).toHaveLength(1);
    const del = r.armEvents![0]!;
    expect(del).toMatchObject({ chromosome: '5', arm: 'p', kind: 'loss', mosaicFraction: 1 });
    expect(Math.abs(del.copyNumber - 1)).toBeLessThanOrEqual(0.15);
    const q = r.arms?.find((a) => a.chromosome === '5' && a.arm === 'q');
    expect(Math.abs(q!.copyNumber! - 2)).toBeLessThan(0.15);
    expect(r.sexChromosomes).toBe('XY');
  });

  test("47,XY,+21 in samtools' default 64 KB blocks: the index is too coarse, so not assessed rather than guessed", async () => {
    const sim = KARYOTYPE_SIMS.find((s) => s.name === 'sim-47XY+21')!;
    const coarse = writeKaryotypeSims(join(dir, 'coarse'), [sim], { recordsPerBlock: 1e9, compress: true })[sim.name]!;
    const aln = await openAlignment(new LocalFile(coarse), new LocalFile(`${coarse}.bai`), { bam: 'coarse.bam', bai: 'coarse.bam.bai' });
    const r = karyotype(await indexBins(aln.bam, aln.header.contigs), detectBuild(aln.header.contigs));
    expect(r.aneuploidies).toEqual([]);
    expect(r.armEvents).toEqual([]);
    expect(r.sexChromosomes).toBeNull();
    expect(r.notes.join('\n')).toMatch(/not assessed/);
  });
});
