/**
 * Issue 4's held-out table (scripts/bench/heldout.ts) on a tiny hand-made
 * bench-data folder: two truth deletions, a scored run that withdrew the one
 * false candidate and an unscored run that kept it.
 */
import { gzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../scripts/bench/heldout';

const HEADER = '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1';
const row = (pos: number, end: number, filter: string, prob?: number) =>
  ['1', pos, `DEL-${pos}`, 'N', '<DEL>', '.', filter, `SVTYPE=DEL;SVLEN=${end - pos};END=${end}${prob === undefined ? '' : `;PROB=${prob}`}`, 'GT', '0/1'].join('\t');
const vcf = (...rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

function makeSet(dir: string): void {
  mkdirSync(join(dir, 'runs', 'LAG'), { recursive: true });
  mkdirSync(join(dir, 'runs', 'LAG-unscored'), { recursive: true });
  writeFileSync(join(dir, 'truth.vcf.gz'), gzipSync(vcf(row(1000, 2000, 'PASS'), row(5000, 6000, 'PASS'))));
  writeFileSync(join(dir, 'runs', 'LAG', 'calls.vcf'), vcf(row(1000, 2000, 'PASS', 0.9), row(5000, 6000, 'PASS', 0.9), row(9000, 9500, 'LowProb', 0.1)));
  writeFileSync(join(dir, 'runs', 'LAG-unscored', 'calls.vcf'), vcf(row(1000, 2000, 'PASS'), row(5000, 6000, 'PASS'), row(9000, 9500, 'PASS')));
}

describe('held-out table (scripts/bench/heldout.ts)', () => {
  let data: string;
  let out: string[];
  let err: string[];
  beforeEach(() => {
    data = mkdtempSync(join(tmpdir(), 'lag-heldout-'));
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(data, { recursive: true, force: true });
  });

  test('one row per set with F1, gain, FP/FN and the perfect filter; a count per acceptance item', () => {
    makeSet(join(data, 'sim-seed7'));
    makeSet(join(data, 'sim-seed7-artefacts'));
    expect(main(['--data', data, '7'])).toBe(0);
    // Scored: 2 TP, 0 FP -> F1 1; unscored: 2 TP, 1 FP -> F1 0.8.
    expect(out).toContain('| seed 7 | 1.000 | 0.800 | +0.200 | 0.100 (0.100) | 0 / 1 | 0 / 0 | 1.000 | 0.800 |');
    expect(out).toContain('| seed 7 with artefacts | 1.000 | 0.800 | +0.200 | 0.100 (0.100) | 0 / 1 | 0 / 0 | 1.000 | 0.800 |');
    expect(out).toContain("gain >= 0.05 over the caller's filters: 1 of 1 sets with artefacts, 1 of 1 plain");
    expect(err).toEqual([]);
  });

  test('the all-candidates column reports what the caller proposed, its filters and no-call genotypes ignored', () => {
    for (const set of ['sim-seed8', 'sim-seed8-artefacts']) {
      const dir = join(data, set);
      makeSet(dir);
      // The caller filtered the second true deletion (LowSupport, no genotype): unscored 1 TP, 1 FP, 1 FN.
      const filtered = row(5000, 6000, 'LowSupport').replace(/0\/1$/, './.');
      writeFileSync(join(dir, 'runs', 'LAG-unscored', 'calls.vcf'), vcf(row(1000, 2000, 'PASS'), filtered, row(9000, 9500, 'PASS')));
    }
    expect(main(['--data', data, '8'])).toBe(0);
    // Unscored F1 = 2/(2+1+1) = 0.5; every candidate: 2 TP, 1 FP -> 0.8.
    expect(out).toContain('| seed 8 | 1.000 | 0.500 | +0.500 | 0.100 (0.100) | 0 / 1 | 0 / 1 | 1.000 | 0.800 |');
  });

  test('pooled F1 over several sets sums their counts (not the mean of their F1)', () => {
    makeSet(join(data, 'sim-seed7'));
    makeSet(join(data, 'sim-seed7-artefacts'));
    for (const set of ['sim-seed8', 'sim-seed8-artefacts']) {
      const dir = join(data, set);
      makeSet(dir);
      const filtered = row(5000, 6000, 'LowSupport').replace(/0\/1$/, './.');
      writeFileSync(join(dir, 'runs', 'LAG-unscored', 'calls.vcf'), vcf(row(1000, 2000, 'PASS'), filtered, row(9000, 9500, 'PASS')));
    }
    expect(main(['--data', data, '7', '8'])).toBe(0);
    // Unscored over both: 3 TP, 2 FP, 1 FN -> precision 0.6, recall 0.75, F1 0.667 (the mean of 0.8 and 0.5 would be 0.65).
    expect(out).toContain('pooled over the 2 sets with artefacts: scored F1 1.000, unscored 0.667, gain +0.333');
    expect(out).toContain('pooled over the 2 plain sets: scored F1 1.000, unscored 0.667, gain +0.333');
  });

  test('a set without its runs is named and fails the command; bad arguments give the usage', () => {
    makeSet(join(data, 'sim-seed7'));
    expect(main(['--data', data, '7'])).toBe(1);
    expect(err.join('\n')).toMatch(/missing: seed 7 with artefacts: no .*sim-seed7-artefacts\/truth\.vcf\.gz/);
    expect(main(['seven'])).toBe(2);
    expect(main([])).toBe(2);
    expect(err.join('\n')).toMatch(/usage: node dist\/scripts\/bench\/heldout\.js/);
  });
});
