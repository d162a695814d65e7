/**
 * The scorer's limits as scripts/bench/scorerLimits.ts measures them, on tiny
 * hand-made bench-data folders: what became of the true calls of a mosaic
 * set, and the artefact calls by their hotspot's allele fraction.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { artefactsByAlleleFraction, mosaicOutcome } from '../../scripts/bench/scorerLimits';

const HEADER = '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1';
const del = (chrom: string, pos: number, end: number, filter: string, info = '') =>
  [chrom, pos, `DEL-${chrom}-${pos}`, 'N', '<DEL>', '.', filter, `SVTYPE=DEL;SVLEN=${end - pos};END=${end}${info}`, 'GT', '0/1'].join('\t');
const vcf = (...rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

let data: string;
beforeEach(() => {
  data = mkdtempSync(join(tmpdir(), 'lag-limits-'));
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

function run(dir: string, caller: string, text: string): void {
  mkdirSync(join(dir, 'runs', caller), { recursive: true });
  writeFileSync(join(dir, 'runs', caller, 'calls.vcf'), text);
}

test('mosaic: kept, withdrawn, left to the caller by rule 3, and in a work unit the scorer did not judge', () => {
  const dir = join(data, 'sim-seed1-mosaic50');
  mkdirSync(dir, { recursive: true });
  const truth = [del('1', 1000, 2000, 'PASS'), del('1', 10_000, 60_000, 'PASS'), del('1', 100_000, 101_000, 'PASS'), del('2', 5000, 9000, 'PASS'), del('2', 20_000, 21_000, 'PASS')];
  writeFileSync(join(dir, 'truth.vcf.gz'), gzipSync(vcf(...truth)));
  run(
    dir,
    'LAG',
    vcf(
      del('1', 1000, 2000, 'PASS', ';PROB=0.95'), // kept
      del('1', 10_000, 60_000, 'PASS', ';DHFFC=0.74;SVCLAIM=DJ;PROB=0.1;PROB_NOT_APPLIED;PROB_NOT_APPLIED_WHY=betweenCopies'), // rule 3: saved
      del('1', 100_000, 101_000, 'LowProb', ';PROB=0.2'), // withdrawn
      del('2', 5000, 9000, 'PASS', ';DHFFC=0.74;SVCLAIM=DJ;PROB=0.1;PROB_NOT_APPLIED;PROB_NOT_APPLIED_WHY=genome'), // unit 2 not judged
      del('2', 20_000, 21_000, 'LowSupport', ';PROB=0.9;PROB_NOT_APPLIED;PROB_NOT_APPLIED_WHY=genome'), // the caller did not pass it
      del('1', 500_000, 501_000, 'PASS', ';PROB=0.9'), // false: not counted
    ),
  );
  const o = mosaicOutcome(dir);
  expect(o.unitsNotJudged).toEqual(['2']);
  expect(o.truePassed).toBe(4);
  expect(o.kept).toBe(1);
  expect(o.withdrawn).toEqual([expect.stringContaining('DEL-1-100000')]);
  expect(o.saved).toEqual([expect.stringContaining('DEL-1-10000 (50000 bp, fold 0.74')]);
  expect(o.unitNotJudgedWouldWithdraw).toBe(1);
});

test('artefacts: the false calls only the artefact layer adds, by the allele fraction of the hotspot within 1 kb, and how many the scorer kept', () => {
  const plain = join(data, 'sim-seed7');
  const art = join(data, 'sim-seed7-artefacts');
  const truth = gzipSync(vcf(del('1', 1000, 2000, 'PASS')));
  for (const d of [plain, art]) {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'truth.vcf.gz'), truth);
  }
  // A false call the plain genome has too (not the layer's: the 'no hotspot' row would count it), and three the layer adds.
  run(plain, 'LAG-unscored', vcf(del('1', 1000, 2000, 'PASS'), del('1', 30_000, 30_500, 'PASS')));
  run(art, 'LAG-unscored', vcf(del('1', 1000, 2000, 'PASS'), del('1', 30_000, 30_500, 'PASS'), del('1', 50_000, 50_300, 'PASS'), del('1', 70_000, 70_300, 'PASS'), del('1', 90_000, 90_300, 'PASS')));
  run(art, 'LAG', vcf(del('1', 1000, 2000, 'PASS'), del('1', 30_000, 30_500, 'PASS'), del('1', 50_000, 50_300, 'PASS'), del('1', 70_000, 70_300, 'LowProb')));
  writeFileSync(
    join(art, 'artefacts.tsv'),
    ['hotspot\tDEL\t1\t50000\t1:50300\tlength=300\taf=0.250\tmolecules=9\tjunctions=x', 'hotspot\tDEL\t1\t70200\t1:70500\tlength=300\taf=0.050\tmolecules=2\tjunctions=x', ''].join('\n'),
  );
  const table = artefactsByAlleleFraction(data, ['7']).join('\n');
  expect(table).toContain('| hotspot allele fraction 0.20-0.25 | 1 | 1 (100 %) |');
  expect(table).toContain('| hotspot allele fraction 0.03-0.08 | 1 | 0 (0 %) |');
  expect(table).toContain('| no hotspot within 1 kb (random chimeras, diverged copies) | 1 | 0 (0 %) |');
});
