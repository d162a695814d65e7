/**
 * The benchmark's comparator (scripts/bench/truvariMatch.ts): each matching
 * rule of `truvari bench -r 500 -P 0.7 -p 0 -O 0` with a case that matches
 * and one that must not, on tiny hand-written VCFs.
 */
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type MatchOptions,
  type Summary,
  TRUVARI_DEFAULTS,
  claimHolds,
  compareEvents,
  parseBreakendAlt,
  parseVcf,
  prepare,
  readVcfFile,
  sizeBin,
  summarise,
  toVariant,
  zygosity,
} from '../../scripts/bench/truvariMatch';
import { calibration, clockToSeconds, flattenScalars, parseGnuTime, replaceGenerated, BEGIN, END } from '../../scripts/bench/compare';

const HEADER = '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1';

/** A VCF from rows `CHROM POS ID REF ALT FILTER INFO GT` (space-separated, QUAL is `.`). */
function vcf(...rows: string[]): string {
  const body = rows.map((r) => {
    const [chrom, pos, id, ref, alt, filter, info, gt] = r.trim().split(/\s+/);
    return [chrom, pos, id, ref, alt, '.', filter, info, 'GT', gt ?? '0/1'].join('\t');
  });
  return `${HEADER}\n${body.join('\n')}\n`;
}

function score(truth: string, calls: string, opts: MatchOptions = TRUVARI_DEFAULTS): Summary {
  return summarise(compareEvents(prepare(parseVcf(truth), 'truth', opts), prepare(parseVcf(calls), 'call', opts), opts));
}

const DEL_1000 = 'chr1 10000 t1 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11000 0|1';

describe('type', () => {
  it('matches the same type', () => {
    expect(score(vcf(DEL_1000), vcf('1 10010 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-990;END=11005')).overall.tpTruth).toBe(1);
  });
  it('does not match another type at the same place and size', () => {
    const s = score(vcf(DEL_1000), vcf('1 10010 c1 N <DUP> PASS SVTYPE=DUP;SVLEN=990;END=11005'));
    expect(s.overall).toMatchObject({ tpTruth: 0, fp: 1, fn: 1 });
  });
  it('counts DUP:TANDEM as DUP, from INFO/SVTYPE or from the symbolic ALT', () => {
    const truth = vcf('1 5000 t1 N <DUP> PASS SVTYPE=DUP;SVLEN=2000;END=7000 1|1');
    expect(score(truth, vcf('1 5003 c1 N <DUP:TANDEM> PASS SVTYPE=DUP:TANDEM;SVLEN=1995;END=6998')).overall.tpTruth).toBe(1);
    expect(score(truth, vcf('1 5003 c1 N <DUP:TANDEM> PASS END=6998')).overall.tpTruth).toBe(1);
    expect(score(truth, vcf('1 5003 c1 N <INV> PASS SVTYPE=INV;END=6998')).overall.tpTruth).toBe(0);
  });
  it('types and sizes sequence-resolved alleles by len(ALT) - len(REF)', () => {
    const ins = toVariant(parseVcf(vcf(`1 100 i N N${'A'.repeat(60)} PASS .`))[0]!);
    expect(ins).toMatchObject({ variant: { type: 'INS', size: 60, start: 100, end: 100 } });
    const del = toVariant(parseVcf(vcf(`1 100 d N${'A'.repeat(80)} N PASS .`))[0]!);
    expect(del).toMatchObject({ variant: { type: 'DEL', size: 80, start: 100, end: 180 } });
  });
});

describe('distance: both breakpoints within 500 bp', () => {
  it('matches at 500 bp on each side', () => {
    const s = score(vcf(DEL_1000), vcf('1 10500 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11500'));
    expect(s.overall.tpTruth).toBe(1);
  });
  it('does not match when the start is 501 bp away', () => {
    const s = score(vcf(DEL_1000), vcf('1 10501 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-999;END=11500'));
    expect(s.overall).toMatchObject({ tpTruth: 0, fp: 1, fn: 1 });
  });
  it('does not match when only the start is close (end 600 bp away)', () => {
    const truth = vcf('1 10000 t1 N <DEL> PASS SVTYPE=DEL;SVLEN=-3000;END=13000 0|1');
    const s = score(truth, vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-2400;END=12400'));
    expect(s.overall.tpTruth).toBe(0);
  });
  it('does not match across chromosomes, but chr1 and 1 are the same', () => {
    expect(score(vcf(DEL_1000), vcf('2 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11000')).overall.tpTruth).toBe(0);
    expect(score(vcf(DEL_1000), vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11000')).overall.tpTruth).toBe(1);
  });
  it('compares an insertion by its position and SVLEN', () => {
    const truth = vcf(`1 2000 t1 A A${'C'.repeat(300)} PASS SVTYPE=INS;SVLEN=300;END=2000 1|1`);
    expect(score(truth, vcf('1 2400 c1 N <INS> PASS SVTYPE=INS;SVLEN=250;END=2401')).overall.tpTruth).toBe(1);
    expect(score(truth, vcf('1 2600 c1 N <INS> PASS SVTYPE=INS;SVLEN=300;END=2601')).overall.tpTruth).toBe(0);
  });
});

describe('size similarity >= 0.7', () => {
  it('matches at 0.7 (700 vs 1000 bp), SVLEN sign ignored', () => {
    expect(score(vcf(DEL_1000), vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=700;END=10700')).overall.tpTruth).toBe(1);
  });
  it('does not match at 0.699', () => {
    expect(score(vcf(DEL_1000), vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-699;END=10699')).overall.tpTruth).toBe(0);
  });
  it('takes the size from END - POS when SVLEN is absent', () => {
    expect(toVariant(parseVcf(vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;END=10650'))[0]!)).toMatchObject({ variant: { size: 650 } });
    expect(score(vcf(DEL_1000), vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;END=10650')).overall.tpTruth).toBe(0);
  });
});

describe('FILTER and genotype of calls', () => {
  const at = (filter: string, gt: string): string => vcf(`1 10000 c1 N <DEL> ${filter} SVTYPE=DEL;SVLEN=-1000;END=11000 ${gt}`);
  it('counts PASS and . with a non-reference genotype', () => {
    expect(score(vcf(DEL_1000), at('PASS', '0/1')).overall.tpTruth).toBe(1);
    expect(score(vcf(DEL_1000), at('.', '1|1')).overall.tpTruth).toBe(1);
  });
  it('leaves out filtered calls and 0/0 calls (neither TP nor FP)', () => {
    expect(score(vcf(DEL_1000), at('LowQual', '0/1')).overall).toMatchObject({ tpTruth: 0, fp: 0, fn: 1 });
    expect(score(vcf(DEL_1000), at('PASS', '0/0')).overall).toMatchObject({ tpTruth: 0, fp: 0, fn: 1 });
  });
  it('counts a missing genotype as present by default (truvari without --no-ref), not with missingGenotype exclude', () => {
    expect(score(vcf(DEL_1000), at('PASS', './.')).overall.tpTruth).toBe(1);
    const strict = { ...TRUVARI_DEFAULTS, missingGenotype: 'exclude' as const };
    expect(score(vcf(DEL_1000), at('PASS', './.'), strict).overall).toMatchObject({ tpTruth: 0, fp: 0 });
  });
  it('reads zygosity from GT', () => {
    expect(['0/0', '0|1', '1/1', './.', '1', '0/.', null].map((g) => zygosity(g))).toEqual(['ref', 'het', 'hom', 'missing', 'hom', 'ref', 'missing']);
  });
  it('ignores truth events under 50 bp and calls under 30 bp', () => {
    const truth = vcf('1 100 t1 N <DEL> PASS SVTYPE=DEL;SVLEN=-40;END=140');
    expect(score(truth, vcf('1 100 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-40;END=140')).overall).toMatchObject({ tpTruth: 0, fn: 0, fp: 1 });
    expect(score(truth, vcf('1 100 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-29;END=129')).overall).toMatchObject({ fp: 0 });
  });
});

describe('one-to-one', () => {
  it('matches a truth event once: the closer of two calls is the TP, the other a FP', () => {
    const s = score(
      vcf(DEL_1000),
      vcf('1 10300 far N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11300', '1 10010 near N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11010'),
    );
    expect(s.overall).toMatchObject({ tpTruth: 1, tpCall: 1, fp: 1, fn: 0 });
  });
  it('uses one call for one truth event only, and picks the closest pairs first', () => {
    const truth = vcf(DEL_1000, '1 10200 t2 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11200 0|1');
    const cmp = compareEvents(
      prepare(parseVcf(truth), 'truth'),
      prepare(parseVcf(vcf('1 10190 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11190')), 'call'),
    );
    expect(cmp.truthMatch).toEqual([null, 0]);
    expect(cmp.callMatch).toEqual([1]);
  });
});

describe('breakend pairs', () => {
  // a balanced t(1;2): junctions 1:5000|2:9001 and 2:9000|1:5001, written as the simulator writes them
  const TRA = vcf(
    '1 5000 tra_1 A A[2:9001[ PASS SVTYPE=BND;MATEID=tra_2 0|1',
    '2 9000 tra_2 C C[1:5001[ PASS SVTYPE=BND;MATEID=tra_1 0|1',
  );
  it('treats the translocation as one truth event', () => {
    expect(prepare(parseVcf(TRA), 'truth').events).toHaveLength(1);
  });
  it('matches a call whose two ends are within 500 bp, in either order', () => {
    expect(score(TRA, vcf('2 9400 c1 N ]1:5300]N PASS SVTYPE=BND')).overall).toMatchObject({ tpTruth: 1, fp: 0 });
  });
  it('does not match when one end is 501 bp away or on another chromosome', () => {
    expect(score(TRA, vcf('2 9502 c1 N ]1:5000]N PASS SVTYPE=BND')).overall).toMatchObject({ tpTruth: 0, fp: 1, fn: 1 });
    expect(score(TRA, vcf('3 9000 c1 N ]1:5000]N PASS SVTYPE=BND')).overall).toMatchObject({ tpTruth: 0, fp: 1 });
  });
  it('joins mates into one call (by MATEID, or pointing at each other) and counts both junctions of a balanced translocation as true calls', () => {
    const calls = vcf(
      '1 5002 a1 N N[2:9003[ PASS SVTYPE=BND;MATEID=a2',
      '2 9003 a2 N ]1:5002]N PASS SVTYPE=BND;MATEID=a1',
      '2 9000 b1 N N[1:5001[ PASS SVTYPE=BND',
      '1 5001 b2 N ]2:9000]N PASS SVTYPE=BND',
    );
    expect(prepare(parseVcf(calls), 'call').events).toHaveLength(2);
    expect(score(TRA, calls).overall).toMatchObject({ tpTruth: 1, tpCall: 2, fp: 0, fn: 0 });
  });
  it('reads TRA records with CHR2/POS2 (or END) as breakends', () => {
    expect(score(TRA, vcf('1 5010 c1 N <TRA> PASS SVTYPE=TRA;CHR2=2;END=9010')).overall.tpTruth).toBe(1);
  });
  it('never matches a breakend with an interval SV', () => {
    const truth = vcf('1 5000 t1 N <INV> PASS SVTYPE=INV;SVLEN=4000;END=9000 0|1');
    expect(score(truth, vcf('1 5000 c1 N N]1:9000] PASS SVTYPE=BND')).overall).toMatchObject({ tpTruth: 0, fp: 1 });
  });
  it('parses every BND ALT form and skips single breakends', () => {
    expect(['G]17:198982]', ']13:123456]T', 'C[2:321682[', '[17:198983[A'].map(parseBreakendAlt)).toEqual([
      { chrom: '17', pos: 198982 },
      { chrom: '13', pos: 123456 },
      { chrom: '2', pos: 321682 },
      { chrom: '17', pos: 198983 },
    ]);
    expect(parseBreakendAlt('<DEL>')).toBeNull();
    expect(toVariant(parseVcf(vcf('1 100 s N N. PASS SVTYPE=BND'))[0]!)).toEqual({ skipped: 'single breakend' });
  });
});

describe('summaries', () => {
  it('bins recall by truth size and precision by call size', () => {
    expect([49, 50, 299, 300, 999_999, 1_000_000].map(sizeBin)).toEqual(['<50', '50-300', '50-300', '300-1k', '100k-1M', '>1M']);
    const s = score(vcf(DEL_1000), vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-800;END=10800'));
    expect(s.bySize['1k-10k']).toMatchObject({ tpTruth: 1, tpCall: 0, recall: 1, precision: null });
    expect(s.bySize['300-1k']).toMatchObject({ tpCall: 1, precision: 1, recall: null });
  });
  it('computes precision, recall, F1 and genotype agreement', () => {
    const truth = vcf(DEL_1000, '1 50000 t2 N <DEL> PASS SVTYPE=DEL;SVLEN=-500;END=50500 1|1');
    const s = score(truth, vcf('1 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11000 1/1', '1 90000 c2 N <DEL> PASS SVTYPE=DEL;SVLEN=-500;END=90500'));
    expect(s.overall).toMatchObject({ tpTruth: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(s.genotype).toEqual({ compared: 1, concordant: 0 });
  });
});

describe('files and reports', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'truvari-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads plain and gzipped VCFs alike', () => {
    writeFileSync(join(dir, 'a.vcf'), vcf(DEL_1000));
    writeFileSync(join(dir, 'a.vcf.gz'), gzipSync(vcf(DEL_1000)));
    expect(readVcfFile(join(dir, 'a.vcf.gz'))).toEqual(readVcfFile(join(dir, 'a.vcf')));
    // BGZF (bgzip, bcftools -Oz) is a series of gzip members
    const text = vcf(DEL_1000);
    const cut = text.indexOf('\n') + 1;
    writeFileSync(join(dir, 'b.vcf.gz'), Buffer.concat([gzipSync(text.slice(0, cut)), gzipSync(text.slice(cut))]));
    expect(readVcfFile(join(dir, 'b.vcf.gz'))).toEqual(readVcfFile(join(dir, 'a.vcf')));
  });
  it('reads wall time and peak RSS from /usr/bin/time -v', () => {
    const text = '\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02:03.5\n\tMaximum resident set size (kbytes): 367216\n\tExit status: 0\n';
    expect(parseGnuTime(text)).toEqual({ wallSeconds: 3723.5, maxRssKb: 367216, exitCode: 0 });
    expect(clockToSeconds('0:15.84')).toBeCloseTo(15.84);
  });
  it('flattens the scan measurement to key=value, leaving out per-run timings', () => {
    expect(flattenScalars({ bam: 'a.bam', lag: { readsPerSecond: 1e6, runs: [1, 2, 3, 4, 5] }, ratio: 0.64512, regions: ['1', '2'] })).toEqual([
      'bam=a.bam',
      'lag.readsPerSecond=1000000',
      'ratio=0.645',
      'regions=1,2',
    ]);
  });
  it("calibration counts every candidate whatever its FILTER, and bounds what a perfect filter of them could reach", () => {
    const truth = vcf(DEL_1000, '1 50000 t2 N <DEL> PASS SVTYPE=DEL;SVLEN=-500;END=50500 1|1', '1 70000 t3 N <DEL> PASS SVTYPE=DEL;SVLEN=-500;END=70500 0|1', '1 90000 t4 N <DEL> PASS SVTYPE=DEL;SVLEN=-500;END=90500 0|1');
    writeFileSync(join(dir, 'truth.vcf'), truth);
    writeFileSync(
      join(dir, 'scored.vcf'),
      vcf(
        '1 10000 c1 N <DEL> PASS SVTYPE=DEL;SVLEN=-1000;END=11000;PROB=0.9',
        '1 50000 c2 N <DEL> LowProb SVTYPE=DEL;SVLEN=-500;END=50500;PROB=0.3 ./.',
        '1 30000 c3 N <DEL> LowProb SVTYPE=DEL;SVLEN=-500;END=30500;PROB=0.1 ./.',
      ),
    );
    const cal = calibration(prepare(readVcfFile(join(dir, 'truth.vcf')), 'truth'), join(dir, 'scored.vcf'), TRUVARI_DEFAULTS)!;
    expect(cal.candidates).toBe(3);
    // two of the four truth events have a candidate, one of them filtered: a perfect filter keeps both and drops c3
    expect(cal.candidateRecall).toBe(0.5);
    expect(cal.filterCeilingF1).toBeCloseTo(2 / 3);
    expect(cal.bins.find((b) => b.bin === '0.9-1.0')).toMatchObject({ n: 1, fractionTrue: 1 });
    expect(cal.bins.find((b) => b.bin === '0.3-0.4')).toMatchObject({ n: 1, fractionTrue: 1 });
    expect(cal.ece).toBeCloseTo((1 / 3) * (0.1 + 0.7 + 0.1));
  });
  it('an "at least L bp" insertion is true beside a longer truth insertion, only when its record says so and only once', () => {
    const truth = vcf('1 5000 t1 N <INS> PASS SVTYPE=INS;SVLEN=1500;END=5000 0|1', '1 9000 t2 N <INS> PASS SVTYPE=INS;SVLEN=400;END=9000 0|1');
    writeFileSync(join(dir, 'ins-truth.vcf'), truth);
    writeFileSync(
      join(dir, 'ins-calls.vcf'),
      vcf(
        '1 5010 lb N <INS> PASS SVTYPE=INS;SVLEN=800;END=5010;SVLEN_LOWER_BOUND;PROB=0.9', // at least 800, truth 1500: holds
        '1 5020 lb2 N <INS> PASS SVTYPE=INS;SVLEN=800;END=5020;SVLEN_LOWER_BOUND;PROB=0.9', // the truth is taken by lb
        '1 9000 ex N <INS> PASS SVTYPE=INS;SVLEN=200;END=9000;PROB=0.9', // exact claim of 200, truth 400: false
        '1 9010 lb3 N <INS> PASS SVTYPE=INS;SVLEN=700;END=9010;SVLEN_LOWER_BOUND;PROB=0.9', // at least 700, truth 400: false
      ),
    );
    const t = prepare(readVcfFile(join(dir, 'ins-truth.vcf')), 'truth');
    const c = prepare(readVcfFile(join(dir, 'ins-calls.vcf')), 'call');
    const cmp = compareEvents(t, c);
    expect(cmp.callMatch.every((m) => m === null)).toBe(true); // truvari: sizes too different for all four
    const flagged = new Set(['lb', 'lb2', 'lb3']);
    const holds = claimHolds(cmp, (e) => e.records.some((r) => flagged.has(r.id)));
    expect(Object.fromEntries(cmp.calls.map((e, i) => [e.id, holds[i]]))).toEqual({ lb: true, lb2: false, ex: false, lb3: false });
    const cal = calibration(t, join(dir, 'ins-calls.vcf'), TRUVARI_DEFAULTS)!;
    expect(cal.bins.find((b) => b.bin === '0.9-1.0')).toMatchObject({ n: 4, fractionTrue: 0.25 });
    expect(cal.eceTruvari).toBeCloseTo(0.9);
    expect(cal.ece).toBeCloseTo(0.65);
  });
  it('replaces only the generated section of the doc', () => {
    const doc = `# B\nintro\n${BEGIN}\nold\n${END}\noutro\n`;
    expect(replaceGenerated(doc, 'new')).toBe(`# B\nintro\n${BEGIN}\nnew\n${END}\noutro\n`);
    expect(replaceGenerated('# B\n', 'new')).toBe(`# B\n\n${BEGIN}\nnew\n${END}\n`);
  });
});
