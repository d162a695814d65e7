import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import type { SvCall, SvType } from '../../shared/contracts';
import { InternalError } from '../../shared/errors';
import { vcfInterval } from '../../shared/vcf/tabix';
import { type WriteVcfOptions, writeBgzippedVcfWithIndex, writeVcf } from '../../shared/vcf/write';

const CONTIGS = [
  { name: 'chr1', length: 20_000_000 },
  { name: 'chr2', length: 8_000_000 },
  { name: 'chr10', length: 5_000_000 }, // after chr2 in the header, before it lexically
];

function call(over: Partial<SvCall> & Pick<SvCall, 'id' | 'chrom' | 'start' | 'end' | 'type'>): SvCall {
  return {
    svlen: over.end - over.start,
    ciPos: [0, 0],
    ciEnd: [0, 0],
    precise: true,
    genotype: '0/1',
    genotypeQuality: 30,
    pairedEnd: 8,
    splitReads: 2,
    depthFoldChange: null,
    copyNumber: null,
    score: 0.9,
    filter: 'PASS',
    ...over,
  };
}

function options(calls: SvCall[], over: Partial<WriteVcfOptions> = {}): WriteVcfOptions {
  return {
    sampleId: 'NA12878',
    calls,
    contigs: CONTIGS,
    reference: 'GRCh38',
    version: '0.1.0',
    commandLine: 'lag analyzeGenome genomes/NA12878.bam',
    warnings: ['low coverage on chrY'],
    fileDate: new Date('2025-03-04T12:00:00Z'),
    refBase: (_chrom, pos0) => 'ACGT'[pos0 % 4] ?? 'N',
    ...over,
  };
}

const dataLines = (vcf: string): string[] => vcf.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

/** ~50 calls over three contigs: short events, > 16 kb, > 1 Mb, a breakend pair. */
function dataset(n: number, seed: number): SvCall[] {
  let x = seed;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const types: SvType[] = ['DEL', 'DUP', 'INV', 'INS', 'CNV'];
  const calls: SvCall[] = [];
  for (let i = 0; i < n; i++) {
    const contig = CONTIGS[Math.floor(rnd() * CONTIGS.length)] ?? CONTIGS[0]!;
    const start = Math.floor(rnd() * (contig.length - 2_000_000));
    const r = rnd();
    // 1 in 20 over 1 Mb, 3 in 20 over 16 kb, the rest short.
    const len = r < 0.05 ? 1_000_000 + Math.floor(rnd() * 900_000) : r < 0.2 ? 16_384 + Math.floor(rnd() * 100_000) : 50 + Math.floor(rnd() * 5_000);
    const type = types[Math.floor(rnd() * types.length)] ?? 'DEL';
    const depth = rnd() < 0.5;
    calls.push(
      call({
        id: `sv${i}`,
        chrom: contig.name,
        start,
        end: type === 'INS' ? start + 1 : start + len,
        type,
        svlen: len,
        precise: rnd() < 0.5,
        ciPos: [-10, 10],
        ciEnd: [-20, 20],
        depthFoldChange: depth ? 0.48 : null,
        copyNumber: type === 'CNV' ? 3 : null,
        filter: rnd() < 0.8 ? 'PASS' : 'LowSupport',
        // Every third call as the ML scorer leaves it: PROB in INFO, QUAL from it, LowProb below threshold.
        ...(i % 3 === 0 ? { modelVersion: 'm1', score: (i % 10) / 10 + 0.05, filter: i % 10 < 3 ? 'LowProb' : 'PASS' } : {}),
        ...(i % 9 === 0 ? { modelApplied: false, modelNotAppliedReason: i % 2 === 0 ? ('genome' as const) : ('betweenCopies' as const), filter: 'PASS' } : {}),
      }),
    );
  }
  calls.push(
    call({ id: 'bnd1', chrom: 'chr1', start: 5_000, end: 5_001, type: 'BND', svlen: 0, mate: { chrom: 'chr10', pos: 7_000, id: 'bnd2' } }),
    call({ id: 'bnd2', chrom: 'chr10', start: 7_000, end: 7_001, type: 'BND', svlen: 0, mate: { chrom: 'chr1', pos: 5_000, id: 'bnd1' } }),
  );
  // A deletion at the telomere: POS 0 (VCF 4.4 section 1.6.1).
  calls.push(call({ id: 'tel', chrom: 'chr2', start: 0, end: 300, type: 'DEL' }));
  return calls;
}

describe('writeVcf', () => {
  it('writes the header', () => {
    const vcf = writeVcf(options([call({ id: 'a', chrom: 'chr2', start: 100, end: 200, type: 'DEL', filter: 'LowSupport' })]));
    const header = vcf.split('\n').filter((l) => l.startsWith('#'));
    expect(header.slice(0, 7)).toEqual([
      '##fileformat=VCFv4.4',
      '##fileDate=20250304',
      '##source=LAG 0.1.0',
      '##reference=GRCh38',
      '##contig=<ID=chr1,length=20000000>',
      '##contig=<ID=chr2,length=8000000>',
      '##contig=<ID=chr10,length=5000000>',
    ]);
    const ids = (kind: string): string[] =>
      header.filter((l) => l.startsWith(`##${kind}=`)).map((l) => /ID=([^,>]+)/.exec(l)?.[1] ?? '');
    expect(ids('ALT')).toEqual(['DEL', 'DUP', 'INV', 'INS', 'CNV']);
    expect(ids('INFO')).toEqual(['SVTYPE', 'SVLEN', 'END', 'CIPOS', 'CIEND', 'IMPRECISE', 'SVLEN_LOWER_BOUND', 'PE', 'SR', 'DHFFC', 'SVCLAIM', 'MATEID', 'EVENT', 'EVENTTYPE', 'PROB', 'PROB_NOT_APPLIED', 'PROB_NOT_APPLIED_WHY']);
    expect(ids('FILTER')).toEqual(['PASS', 'LowSupport']);
    expect(ids('FORMAT')).toEqual(['GT', 'GQ', 'PE', 'SR', 'CN']);
    expect(header).toContain('##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="Length of structural variant">');
    expect(header).toContain(
      '##INFO=<ID=SVCLAIM,Number=A,Type=String,Description="Claim made by the structural variant call. Valid values are D, J, DJ for abundance, adjacency and both respectively">',
    );
    expect(header.slice(-3)).toEqual([
      '##LAG_warning=low coverage on chrY',
      '##commandline=lag analyzeGenome genomes/NA12878.bam',
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA12878',
    ]);
  });

  // refBase gives 'ACGT'[pos0 % 4], so REF shows which base was asked for (0-based start - 1).
  it('writes symbolic alleles with POS at the base before the event and END at its last base', () => {
    const vcf = writeVcf(
      options([
        call({ id: 'del', chrom: 'chr1', start: 1000, end: 2000, type: 'DEL', depthFoldChange: 0.5 }),
        call({ id: 'dup', chrom: 'chr1', start: 3002, end: 4502, type: 'DUP', precise: false, ciPos: [-50, 40], ciEnd: [-30, 30] }),
        call({ id: 'ins', chrom: 'chr1', start: 5003, end: 5004, type: 'INS', svlen: 320 }),
        call({ id: 'ins-long', chrom: 'chr1', start: 5503, end: 5504, type: 'INS', svlen: 755, precise: false, ciPos: [-50, 50], ciEnd: [-50, 50], svlenAtLeast: true }),
        call({ id: 'cnv', chrom: 'chr1', start: 6001, end: 900_000, type: 'CNV', pairedEnd: 0, splitReads: 0, depthFoldChange: 1.5, copyNumber: 3 }),
      ]),
    );
    expect(dataLines(vcf).map((l) => l.split('\t'))).toEqual([
      ['chr1', '1000', 'del', 'T', '<DEL>', '.', 'PASS', 'SVTYPE=DEL;SVLEN=1000;END=2000;PE=8;SR=2;DHFFC=0.5;SVCLAIM=DJ', 'GT:GQ:PE:SR:CN', '0/1:30:8:2:.'],
      ['chr1', '3002', 'dup', 'C', '<DUP>', '.', 'PASS', 'SVTYPE=DUP;SVLEN=1500;END=4502;CIPOS=-50,40;CIEND=-30,30;IMPRECISE;PE=8;SR=2;SVCLAIM=J', 'GT:GQ:PE:SR:CN', '0/1:30:8:2:.'],
      // VCF 4.4: the END of <INS> is POS + len(REF) - 1 = POS.
      ['chr1', '5003', 'ins', 'G', '<INS>', '.', 'PASS', 'SVTYPE=INS;SVLEN=320;END=5003;PE=8;SR=2', 'GT:GQ:PE:SR:CN', '0/1:30:8:2:.'],
      // longer than its reads could assemble: SVLEN is "at least"
      ['chr1', '5503', 'ins-long', 'G', '<INS>', '.', 'PASS', 'SVTYPE=INS;SVLEN=755;END=5503;SVLEN_LOWER_BOUND;CIPOS=-50,50;CIEND=-50,50;IMPRECISE;PE=8;SR=2', 'GT:GQ:PE:SR:CN', '0/1:30:8:2:.'],
      ['chr1', '6001', 'cnv', 'A', '<CNV>', '.', 'PASS', 'SVTYPE=CNV;SVLEN=893999;END=900000;PE=0;SR=0;DHFFC=1.5;SVCLAIM=D', 'GT:GQ:PE:SR:CN', '0/1:30:0:0:3'],
    ]);
  });

  it('writes a breakend pair as one junction, each naming the other', () => {
    const vcf = writeVcf(
      options(
        [
          call({ id: 'b2', chrom: 'chr10', start: 7000, end: 7001, type: 'BND', svlen: 0, mate: { chrom: 'chr1', pos: 5000, id: 'b1' } }),
          call({ id: 'b1', chrom: 'chr1', start: 5000, end: 5001, type: 'BND', svlen: 0, mate: { chrom: 'chr10', pos: 7000, id: 'b2' } }),
          call({ id: 'single', chrom: 'chr2', start: 10, end: 11, type: 'BND', svlen: 0 }),
        ],
        { refBase: undefined },
      ),
    );
    expect(dataLines(vcf).map((l) => l.split('\t').slice(0, 8))).toEqual([
      ['chr1', '5000', 'b1', 'N', 'N[chr10:7001[', '.', 'PASS', 'SVTYPE=BND;PE=8;SR=2;MATEID=b2'],
      ['chr2', '10', 'single', 'N', 'N.', '.', 'PASS', 'SVTYPE=BND;PE=8;SR=2'],
      ['chr10', '7001', 'b2', 'N', ']chr1:5000]N', '.', 'PASS', 'SVTYPE=BND;PE=8;SR=2;MATEID=b1'],
    ]);
  });

  it('sorts by header contig order, then position', () => {
    const vcf = writeVcf(
      options([
        call({ id: 'c', chrom: 'chr10', start: 10, end: 20, type: 'DEL' }),
        call({ id: 'b', chrom: 'chr2', start: 500, end: 600, type: 'DEL' }),
        call({ id: 'a', chrom: 'chr2', start: 50, end: 60, type: 'DEL' }),
        call({ id: 'z', chrom: 'chr1', start: 900, end: 950, type: 'INV' }),
      ]),
    );
    expect(dataLines(vcf).map((l) => l.split('\t')[2])).toEqual(['z', 'a', 'b', 'c']);
  });

  it('reduces ambiguous reference bases and rejects anything else', () => {
    const one = [call({ id: 'a', chrom: 'chr1', start: 10, end: 20, type: 'DEL' })];
    expect(dataLines(writeVcf(options(one, { refBase: () => 'r' })))[0]?.split('\t')[3]).toBe('A');
    expect(() => writeVcf(options(one, { refBase: () => 'AC' }))).toThrow(InternalError);
  });

  it.each(['NA 12878', 'NA\t12878', '', 'a\nb'])('rejects the sample id %j', (sampleId) => {
    expect(() => writeVcf(options([], { sampleId }))).toThrow(InternalError);
  });

  it('rejects unknown contigs, bad ids and line breaks in header values', () => {
    const ok = call({ id: 'a', chrom: 'chr1', start: 10, end: 20, type: 'DEL' });
    expect(() => writeVcf(options([{ ...ok, chrom: 'chrUn' }]))).toThrow(InternalError);
    expect(() => writeVcf(options([{ ...ok, id: 'a b' }]))).toThrow(InternalError);
    expect(() => writeVcf(options([{ ...ok, filter: 'Low Support' }]))).toThrow(InternalError);
    expect(() => writeVcf(options([ok], { warnings: ['two\nlines'] }))).toThrow(InternalError);
    expect(() => writeVcf(options([ok], { contigs: [{ name: 'chr 1', length: 10 }] }))).toThrow(InternalError);
  });
});

describe('vcfInterval (tbx_parse1, VCF preset)', () => {
  const line = (ref: string, info: string): string => ['chr1', '101', '.', ref, '<DEL>', '.', 'PASS', info, 'GT', '0/1'].join('\t');

  it.each([
    ['N', 'SVTYPE=DEL;END=500', 500], // INFO/END
    ['NNN', 'CIEND=-5,5;SVLEN=3', 103], // CIEND is not END
    ['N', 'END=250;SVTYPE=DEL', 250], // END first
    ['N', 'SVTYPE=DEL;END=.', 101], // missing END
    ['N', 'SVTYPE=DEL;END=90', 101], // END before POS: ignored
    ['NN', '.', 102],
  ])('REF %s, INFO %s ends at %i', (ref, info, end) => {
    expect(vcfInterval(line(ref, info))).toEqual({ contig: 'chr1', beg: 100, end });
  });
});

describe('bgzipped VCF and tabix index against htslib', () => {
  let dir: string;
  const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lag-vcf-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes ours as `<name>.vcf.gz(.tbi)` and a copy indexed by `tabix -p vcf` under ref/. */
  function writeBoth(name: string, calls: SvCall[]): { text: string; ours: string; theirs: string } {
    const opts = options(calls);
    const { vcfGz, tbi } = writeBgzippedVcfWithIndex(opts);
    const ours = `${name}.vcf.gz`;
    const theirs = join('ref', ours);
    writeFileSync(join(dir, ours), vcfGz);
    writeFileSync(join(dir, `${ours}.tbi`), tbi);
    mkdirSync(join(dir, 'ref'), { recursive: true });
    copyFileSync(join(dir, ours), join(dir, theirs));
    run('tabix', ['-f', '-p', 'vcf', theirs]);
    return { text: writeVcf(opts), ours, theirs };
  }

  const tbiContent = (path: string): Buffer => zlib.gunzipSync(readFileSync(join(dir, path)));

  it('bcftools reads the file back with the same records', () => {
    const { text, ours } = writeBoth('small', dataset(50, 7));
    const emitted = run('bcftools', ['view', '--no-version', ours]);
    expect(dataLines(emitted).map((l) => l.split('\t'))).toEqual(dataLines(text).map((l) => l.split('\t')));
    expect(dataLines(text)).toHaveLength(53);
    // Scored records: QUAL is the capped Phred of PROB, and bcftools reads PROB back as a Float.
    const scored = dataLines(text).map((l) => l.split('\t')).filter((f) => f[7]!.includes('PROB='));
    expect(scored.length).toBeGreaterThan(10);
    for (const f of scored) {
      const p = Number(/PROB=([0-9.]+)/.exec(f[7]!)![1]);
      expect(Number(f[5])).toBe(Math.min(99, Math.round(-10 * Math.log10(1 - p))));
    }
    const probs = run('bcftools', ['query', '-i', 'INFO/PROB>=0', '-f', '%ID\t%QUAL\t%INFO/PROB\n', ours]).trim().split('\n');
    expect(probs).toHaveLength(scored.length);
    // Outside the scorer's domain: PROB shown, the flag says the FILTER is the caller's; bcftools reads the flag.
    const notApplied = scored.filter((f) => f[7]!.split(';').includes('PROB_NOT_APPLIED'));
    expect(notApplied.length).toBeGreaterThan(0);
    for (const f of notApplied) expect(f[6]).toBe('PASS');
    expect(run('bcftools', ['view', '-H', '-i', 'INFO/PROB_NOT_APPLIED=1', ours]).trim().split('\n')).toHaveLength(notApplied.length);
    // and why, as a string bcftools reads back.
    const why = run('bcftools', ['query', '-i', 'INFO/PROB_NOT_APPLIED=1', '-f', '%INFO/PROB_NOT_APPLIED_WHY\n', ours]).trim().split('\n');
    expect(why).toHaveLength(notApplied.length);
    expect(new Set(why)).toEqual(new Set(['genome', 'betweenCopies']));
    expect(run('bcftools', ['view', '-h', ours]).split('\n')[0]).toBe('##fileformat=VCFv4.4');
  });

  it('tabix lists the contigs', () => {
    const { ours } = writeBoth('small', dataset(50, 7));
    expect(run('tabix', ['-l', ours]).trim().split('\n')).toEqual(['chr1', 'chr2', 'chr10']);
  });

  it('tabix queries return what they return with htslib’s own index', () => {
    const calls = dataset(50, 7);
    const { ours, theirs } = writeBoth('small', calls);
    const big = calls.find((c) => c.end - c.start > 1_000_000);
    expect(big).toBeDefined();
    const inside = big ? `${big.chrom}:${big.start + 500_000}-${big.start + 500_001}` : '';
    const regions = ['chr1', 'chr2', 'chr10', 'chr1:1-20000', 'chr1:4000-6000', 'chr10:7001', 'chr2:1-1', inside, 'chr1:2000000-6000000', 'chr2:3000000-3500000', 'chr10:1-100000'];
    let hits = 0;
    for (const region of regions) {
      const expected = run('tabix', [theirs, region]);
      expect({ region, records: run('tabix', [ours, region]) }).toEqual({ region, records: expected });
      hits += dataLines(expected).length;
    }
    expect(dataLines(run('tabix', [ours, inside])).map((l) => l.split('\t')[2])).toContain(big?.id);
    expect(hits).toBeGreaterThan(50);
  });

  it.each([
    ['small', 50],
    ['large', 20_000], // ~50 BGZF blocks: exercises chunk merging and khash growth
    ['empty', 0],
  ])('writes the same .tbi bytes as tabix -p vcf (%s)', (name, n) => {
    const calls = n === 0 ? [] : dataset(n, 11);
    const { ours, theirs } = writeBoth(name, calls);
    const mine = tbiContent(`${ours}.tbi`);
    expect(mine.subarray(0, 4).toString('latin1')).toBe('TBI\x01');
    expect(mine.equals(tbiContent(`${theirs}.tbi`))).toBe(true);
  });
});
