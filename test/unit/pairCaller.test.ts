/**
 * The pair caller on a synthetic library: 200 kb of contig `chrT`, 2x150 bp
 * pairs with 400 bp inserts every 10 bp (15x), carrying a homozygous 5 kb
 * deletion, a heterozygous 3 kb tandem duplication, a heterozygous 10 kb
 * inversion, and one side of a translocation to `chrU`.
 */
import { FLAG } from '../../shared/bam/record';
import { DepthBins } from '../../shared/caller/depth';
import { createPairCaller, flankBaseline, smallEventDepthLogRatio, wholeCopyLogRatio } from '../../shared/caller/pairs';
import type { ReadView } from '../../shared/caller/types';
import { MIN_FIT_SHARE } from '../../shared/cnv/segment';
import type { SvCall, WorkUnit } from '../../shared/contracts';
import { betweenWholeCopies, MOSAIC_MIN_LOG10_RATIO } from '../../shared/scoring/domain';
import { writeVcf } from '../../shared/vcf/write';

const RL = 150;
const INSERT = 400;
const unit: WorkUnit = { id: 'chrT:0-200000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 200_000, coreStart: 0, coreEnd: 200_000 };
const library = { readLength: RL, insertSizeMedian: INSERT, insertSizeSd: 40, pairedFraction: 1, sequenceFraction: 1, readsSampled: 1 };

function read(start: number, flags: number, mateStart: number, tlen: number, mateRef = 0): ReadView {
  return { ref_id: 0, start, end: start + RL, flags: flags | FLAG.paired, mapq: 60, next_refid: mateRef, next_pos: mateStart, tlen, seqLength: RL };
}

/** A concordant FR pair starting at `s` (both reads). */
function concordant(s: number): ReadView[] {
  const m = s + INSERT - RL;
  return [read(s, FLAG.mateReverse | FLAG.read1, m, INSERT), read(m, FLAG.reverse | FLAG.read2, s, -INSERT)];
}

function library15x(): ReadView[] {
  const reads: ReadView[] = [];
  const DEL = [50_000, 55_000];
  const DUP = [100_000, 103_000];
  const INV = [150_000, 160_000];
  for (let s = 0; s + INSERT < 200_000; s += 10) {
    const e = s + INSERT;
    if (e > DEL[0]! && s < DEL[1]!) {
      // Homozygous deletion: fragments from the donor span it (insert + 5 kb); none start inside.
      if (s < DEL[0]! && s % 20 === 0) reads.push(read(s, FLAG.mateReverse | FLAG.read1, e + 5_000 - RL, INSERT + 5_000));
      continue;
    }
    reads.push(...concordant(s));
    // Heterozygous duplication: half as many more reads start inside, and outie pairs span its junction.
    if (s >= DUP[0]! && e <= DUP[1]! && s % 20 === 0) reads.push(...concordant(s));
    if (s >= DUP[0]! && s < DUP[0]! + 200 && s % 40 === 0) reads.push(read(s, FLAG.reverse | FLAG.read1, DUP[1]! - RL - (s - DUP[0]!), 0));
    // Heterozygous inversion: FF pairs at the left junction, RR pairs at the right one.
    if (s > INV[0]! - 300 && s < INV[0]! - 150 && s % 30 === 0) reads.push(read(s, FLAG.read1, INV[1]! - (INV[0]! - s), 0));
    if (s > INV[0]! && s < INV[0]! + 150 && s % 30 === 0) reads.push(read(s, FLAG.reverse | FLAG.mateReverse | FLAG.read1, INV[1]! + (s - INV[0]!), 0));
  }
  // Translocation: forward reads left of 180,000 whose mates lie on chrU near 5,000, reverse.
  for (let s = 179_600; s < 179_850; s += 40) reads.push(read(s, FLAG.mateReverse | FLAG.read1, 5_000 + (s - 179_600), 0, 1));
  return reads.sort((a, b) => a.start - b.start);
}

function callAll(reads: ReadView[]): SvCall[] {
  const caller = createPairCaller({ unit, library, expectedDepth: 15, contigNames: ['chrT', 'chrU'] });
  for (const r of reads) caller.observe(r);
  return caller.finish().calls;
}

const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

describe('pair caller on a synthetic library', () => {
  const calls = callAll(library15x());
  const pass = calls.filter((c) => c.filter === 'PASS');

  test('the homozygous deletion: DEL 1/1 with depth fold ~0 and copy number 0', () => {
    const del = pass.find((c) => c.type === 'DEL');
    expect(del).toBeDefined();
    expect(near(del!.start, 50_000, 300) && near(del!.end, 55_000, 300)).toBe(true);
    expect(del!.genotype).toBe('1/1');
    expect(del!.copyNumber).toBe(0);
    expect(del!.depthFoldChange!).toBeLessThan(0.1);
  });

  test('the heterozygous tandem duplication: DUP 0/1, copy number 3', () => {
    const dup = pass.find((c) => c.type === 'DUP');
    expect(dup).toBeDefined();
    expect(near(dup!.start, 100_000, 300) && near(dup!.end, 103_000, 300)).toBe(true);
    expect(dup!.genotype).toBe('0/1');
    expect(dup!.copyNumber).toBe(3);
  });

  test("depth's evidence is kept with the call, weighed by the reads counted: strong for the 5 kb loss and the 3 kb gain", () => {
    const del = pass.find((c) => c.type === 'DEL')!;
    const dup = pass.find((c) => c.type === 'DUP')!;
    // log10 likelihood ratio of the claimed change over two copies (depthLogRatio).
    expect(del.evidence!.depthLogRatio!).toBeGreaterThan(20);
    expect(dup.evidence!.depthLogRatio!).toBeGreaterThan(5);
    // Balanced events have no depth claim.
    expect(pass.find((c) => c.type === 'INV')!.evidence!.depthLogRatio).toBeUndefined();
  });

  test('at whole copy numbers, depth does not put the loss or the gain between copies (depthBetweenCopiesLogRatio)', () => {
    for (const c of [pass.find((x) => x.type === 'DEL')!, pass.find((x) => x.type === 'DUP')!]) {
      expect(c.evidence!.depthBetweenCopiesLogRatio).toEqual(expect.any(Number));
      expect(c.evidence!.depthBetweenCopiesLogRatio!).toBeLessThan(MOSAIC_MIN_LOG10_RATIO);
      expect(betweenWholeCopies(c)).toBe(false);
    }
  });

  test('the inversion: one INV from its two junctions, heterozygous', () => {
    const inv = pass.filter((c) => c.type === 'INV');
    expect(inv).toHaveLength(1);
    expect(near(inv[0]!.start, 150_000, 400) && near(inv[0]!.end, 160_000, 400)).toBe(true);
    expect(inv[0]!.genotype).toBe('0/1');
  });

  test('the translocation side: a BND on chrT pointing at chrU', () => {
    const bnd = pass.find((c) => c.type === 'BND');
    expect(bnd).toBeDefined();
    expect(near(bnd!.start, 180_000, 300)).toBe(true);
    expect(bnd!.mate).toEqual({ chrom: 'chrU', pos: expect.any(Number), id: '' });
    expect(near(bnd!.mate!.pos, 5_000, 300)).toBe(true);
  });

  test('nothing else passes', () => {
    expect(pass.map((c) => c.type).sort()).toEqual(['BND', 'DEL', 'DUP', 'INV']);
  });

  test('one same-strand junction without its partner is a breakend pair within the chromosome, not an inversion', () => {
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 200_000; s += 10) reads.push(...concordant(s));
    // FF pairs only (the left junction of a 12 kb "inversion"; its right junction has no pairs): 5 of them.
    for (let s = 120_000 - 290; s < 120_000 - 150; s += 30) reads.push(read(s, FLAG.read1, 132_000 - (120_000 - s), 0));
    const lone = callAll(reads.sort((a, b) => a.start - b.start));
    expect(lone.filter((c) => c.type === 'INV')).toEqual([]);
    const bnds = lone.filter((c) => c.type === 'BND' && c.filter === 'PASS');
    expect(bnds).toHaveLength(2);
    for (const b of bnds) {
      expect(b.strands).toBe('++');
      expect(b.mate!.chrom).toBe('chrT');
      expect(bnds.some((o) => o.id === b.mate!.id && o.mate!.id === b.id)).toBe(true);
    }
    expect(near(Math.min(...bnds.map((b) => b.start)), 120_000, 300) && near(Math.max(...bnds.map((b) => b.start)), 132_000, 300)).toBe(true);
  });

  test('a BAM cut to the event (no read beyond its flanks): depth is not measured, and the pairs decide', () => {
    // The library's reads within 1.5 kb of the 5 kb deletion only, as in a BAM cut to target regions:
    // flank bins with no read are no data, not zero depth (which would have made the "depth" look unchanged).
    const cut = library15x().filter((r) => r.start >= 48_500 && r.start < 56_500);
    const del = callAll(cut).find((c) => c.type === 'DEL');
    expect(del).toBeDefined();
    expect(del!.depthFoldChange).toBeNull();
    expect(del!.filter).toBe('PASS');
    expect(near(del!.start, 50_000, 300) && near(del!.end, 55_000, 300)).toBe(true);
  });

  test('a clean library gives no call at all', () => {
    const clean: ReadView[] = [];
    for (let s = 0; s + INSERT < 200_000; s += 10) clean.push(...concordant(s));
    expect(callAll(clean.sort((a, b) => a.start - b.start))).toEqual([]);
  });

  test('without paired reads it warns instead of calling', () => {
    const caller = createPairCaller({ unit, library: { ...library, insertSizeMedian: 0 }, expectedDepth: 15, contigNames: ['chrT'] });
    const out = caller.finish();
    expect(out.calls).toEqual([]);
    expect(out.warnings.join()).toMatch(/no properly paired reads/);
  });
});

describe('pair clustering', () => {
  test("a deletion's pairs interleaved with pairs whose mates map to another copy of a repeat stay one cluster", () => {
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 200_000; s += 10) {
      const e = s + INSERT;
      if (e > 50_000 && s < 55_000) continue; // homozygous 5 kb deletion
      reads.push(...concordant(s));
    }
    // Six pairs span the deletion; between them, three whose mates landed 8 kb further (another copy).
    for (let k = 0; k < 6; k++) reads.push(read(49_560 + 20 * k, FLAG.mateReverse | FLAG.read1, 55_000 + 20 * k, INSERT + 5_000));
    for (let k = 0; k < 3; k++) reads.push(read(49_570 + 20 * k, FLAG.mateReverse | FLAG.read1, 63_000 + 20 * k, INSERT + 13_000));
    const dels = callAll(reads.sort((a, b) => a.start - b.start)).filter((c) => c.type === 'DEL');
    const main = dels.find((c) => near(c.end, 55_000, 300));
    expect(main).toBeDefined();
    expect(near(main!.start, 50_000, 300)).toBe(true);
    expect(main!.pairedEnd).toBe(6);
  });
});

describe('breakend orientation in the VCF', () => {
  test('each strand combination gets its VCF 4.4 notation, and bcftools-style POS', () => {
    const bnd = (strands: SvCall['strands'], id: string): SvCall => ({
      id, chrom: 'chrT', start: 999, end: 1000, type: 'BND', svlen: 0, ciPos: [0, 0], ciEnd: [0, 0], precise: true,
      genotype: '0/1', genotypeQuality: 30, pairedEnd: 5, splitReads: 0, depthFoldChange: null, copyNumber: null, score: 1,
      filter: 'PASS', mate: { chrom: 'chrU', pos: 4999, id: 'm' }, strands,
    });
    const text = writeVcf({
      sampleId: 'S', calls: [bnd('+-', 'a'), bnd('++', 'b'), bnd('-+', 'c'), bnd('--', 'd')],
      contigs: [{ name: 'chrT', length: 10_000 }, { name: 'chrU', length: 10_000 }],
      reference: 'test', version: '0', commandLine: 'test',
    });
    const alts = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t').slice(1, 5).join(' '));
    expect(alts).toEqual(['1000 a N N[chrU:5000[', '1000 b N N]chrU:5000]', '1000 c N ]chrU:5000]N', '1000 d N [chrU:5000[N']);
  });

  test('a breakend whose mate side was not seen is written without MATEID', () => {
    const lone: SvCall = {
      id: 'lone', chrom: 'chrT', start: 999, end: 1000, type: 'BND', svlen: 0, ciPos: [-100, 100], ciEnd: [0, 0], precise: false,
      genotype: './.', genotypeQuality: 0, pairedEnd: 2, splitReads: 0, depthFoldChange: null, copyNumber: null, score: 0.1,
      filter: 'LowSupport', mate: { chrom: 'chrU', pos: 4999, id: '' }, strands: '+-',
    };
    const text = writeVcf({ sampleId: 'S', calls: [lone], contigs: [{ name: 'chrT', length: 10_000 }, { name: 'chrU', length: 10_000 }], reference: 't', version: '0', commandLine: 't' });
    const record = text.split('\n').find((l) => l.startsWith('chrT\t'))!;
    expect(record).toContain('N[chrU:5000[');
    expect(record).not.toContain('MATEID');
  });
});

describe('depth beside a neighbouring copy-number change', () => {
  test('a heterozygous duplication whose right flank is itself gained is measured against its normal left flank', () => {
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 200_000; s += 10) {
      const e = s + INSERT;
      reads.push(...concordant(s));
      // The duplication 100–103 kb (outie pairs over its junction), and a gain without pairs over 103–108 kb beside it.
      if (s >= 100_000 && e <= 108_000 && s % 20 === 0) reads.push(...concordant(s));
      if (s >= 100_000 && s < 100_200 && s % 40 === 0) reads.push(read(s, FLAG.reverse | FLAG.read1, 103_000 - RL - (s - 100_000), 0));
    }
    const dup = callAll(reads.sort((a, b) => a.start - b.start)).find((c) => c.type === 'DUP' && near(c.start, 100_000, 300));
    expect(dup).toBeDefined();
    // Against the mean of both flanks (1x and 1.5x) the fold would be ~1.2, too small for a gain.
    expect(dup!.depthFoldChange!).toBeGreaterThan(1.4);
    expect(dup).toMatchObject({ filter: 'PASS', genotype: '0/1', copyNumber: 3 });
  });

  test('flankBaseline: the mean of agreeing flanks; the flank nearer the typical depth when they disagree', () => {
    expect(flankBaseline([20, 22], 21)).toBe(21);
    expect(flankBaseline([20, 30], 21)).toBe(20);
    expect(flankBaseline([30, 10], 21)).toBe(30);
    expect(flankBaseline([18], 21)).toBe(18);
    // No typical depth (nothing read): the mean.
    expect(flankBaseline([20, 30], null)).toBe(25);
  });

  test('a deletion too small for a whole 100 bp bin still has a depth ratio, from the bins it touches weighed by how much of them it covers', () => {
    // 20 read starts per bin; a 120 bp event at 5,050-5,170 covers half of bin 50 and 70 % of bin 51.
    const bins = (b50: number, b51: number) => {
      const d = new DepthBins(0, 20_000);
      for (let i = 0; i < 200; i++) {
        const n = i === 50 ? b50 : i === 51 ? b51 : 20;
        for (let k = 0; k < n; k++) d.add(i * 100 + k);
      }
      return d;
    };
    expect(bins(20, 20).touching(5_050, 5_170)).toEqual({ count: 40, bins: 2, inside: expect.closeTo(1.2, 9) });
    // Heterozygous loss: 20 x (1 - 0.5/2) = 15 and 20 x (1 - 0.7/2) = 13 reads expected.
    const het = smallEventDepthLogRatio('DEL', 5_050, 5_170, bins(15, 13))!;
    const none = smallEventDepthLogRatio('DEL', 5_050, 5_170, bins(20, 20))!;
    expect(het).toBeGreaterThan(0);
    expect(none).toBeLessThan(0);
    // Weak by nature (one bin's reads): far from the whole-bin ratio of a 5 kb loss.
    expect(het).toBeLessThan(3);
    // No flank (a BAM cut to the event): nothing to measure.
    const bare = new DepthBins(0, 20_000);
    for (let k = 0; k < 15; k++) bare.add(5_000 + k);
    expect(smallEventDepthLogRatio('DEL', 5_050, 5_170, bare)).toBeNull();
  });

  test('DepthBins.typical: the median count of the bins that hold reads; null for none', () => {
    const bins = new DepthBins(0, 1_000);
    expect(bins.typical()).toBeNull();
    const filled = new DepthBins(0, 1_000);
    // Bins 0-4 hold 3, 5, 5, 7, 40 reads; bins 5-9 none (no data, not zero depth).
    [3, 5, 5, 7, 40].forEach((n, i) => {
      for (let k = 0; k < n; k++) filled.add(i * 100 + k);
    });
    expect(filled.typical()).toBe(5);
  });
});

describe("the unit's typical depth, the scale of the scorer's read counts", () => {
  test('is the two-copy depth from its own reads, which a large loss does not pull down as it does the mean', () => {
    const caller = createPairCaller({ unit, library, expectedDepth: 15, contigNames: ['chrT', 'chrU'] });
    // Concordant pairs every 10 bp (2 reads of 150 bp: 30x), one in two over a 60 kb one-copy loss (15x).
    let reads = 0;
    for (let s = 0; s + INSERT < 200_000; s += 10) {
      if (s >= 100_000 && s < 160_000 && s % 20 === 10) continue;
      for (const r of concordant(s)) caller.observe(r);
      reads += 2;
    }
    // Even depth, two levels: copy number reads fine here, and the unit says so.
    expect(caller.finish().stats.depthUneven).toBe(0);
    const mean = (reads * RL) / 200_000;
    expect(mean).toBeLessThan(26);
    expect(caller.typicalDepth()).toBeCloseTo(30, 5);
    expect(createPairCaller({ unit, library, expectedDepth: 15, contigNames: ['chrT'] }).typicalDepth()).toBeNull();
  });
});

describe('depth-only copy-number changes', () => {
  test('a 100 kb one-copy loss with no breakpoint evidence is called from depth (SVCLAIM D), nothing else', () => {
    const big: WorkUnit = { id: 'chrT:0-600000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 600_000, coreStart: 0, coreEnd: 600_000 };
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 600_000; s += 10) {
      // In 200–300 kb only every other fragment: one copy left, and no discordant pair.
      if (s >= 200_000 && s < 300_000 && s % 20 === 10) continue;
      reads.push(...concordant(s));
    }
    const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
    for (const r of reads.sort((a, b) => a.start - b.start)) caller.observe(r);
    const calls = caller.finish().calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ type: 'DEL', pairedEnd: 0, copyNumber: 1, genotype: '0/1', filter: 'PASS' });
    expect(near(calls[0]!.start, 200_000, 10_000) && near(calls[0]!.end, 300_000, 10_000)).toBe(true);
    const vcf = writeVcf({ sampleId: 'S', calls, contigs: [{ name: 'chrT', length: 600_000 }], reference: 't', version: '0', commandLine: 't' });
    expect(vcf).toMatch(/SVCLAIM=D(;|\t|$)/m);
  });

  test('a depth-only loss has its ends from the 100 bp bins, within a few hundred bp, and a confidence interval to match (not ± one 10 kb bin)', () => {
    const big: WorkUnit = { id: 'chrT:0-600000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 600_000, coreStart: 0, coreEnd: 600_000 };
    const [a, b] = [203_450, 288_750];
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 600_000; s += 10) {
      // One copy left in [a, b): half of the reads that would start there do not (read starts every 10 bp, alternate ones kept).
      reads.push(...concordant(s).filter((r) => !(r.start >= a && r.start < b && (r.start / 10) % 2 === 1)));
    }
    const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
    for (const r of reads.sort((x, y) => x.start - y.start)) caller.observe(r);
    const calls = caller.finish().calls;
    expect(calls).toHaveLength(1);
    const c = calls[0]!;
    expect(c).toMatchObject({ type: 'DEL', copyNumber: 1, filter: 'PASS', precise: false });
    expect(Math.abs(c.start - a)).toBeLessThanOrEqual(300);
    expect(Math.abs(c.end - b)).toBeLessThanOrEqual(300);
    expect(c.id).toBe(`DEL-chrT-${c.start}-${c.end}`);
    // The interval holds the true ends and is far narrower than the 10 kb bins.
    expect(c.start + c.ciPos[0]).toBeLessThanOrEqual(a);
    expect(c.start + c.ciPos[1]).toBeGreaterThanOrEqual(a - 100);
    expect(c.ciPos[1] - c.ciPos[0]).toBeLessThan(2_000);
    expect(c.end + c.ciEnd[0]).toBeLessThanOrEqual(b + 100);
    expect(c.end + c.ciEnd[1]).toBeGreaterThanOrEqual(b);
    expect(c.ciEnd[1] - c.ciEnd[0]).toBeLessThan(2_000);
  });

  test('a unit mostly below two copies (a large loss, and stretches of scattered lower depth) keeps its normal part at two copies: no false gain', () => {
    // Seed 45's 3 Mb chr1 slice in small: the median bin sits below two copies, so measured against it the normal part looked gained.
    const big: WorkUnit = { id: 'chrT:0-1000000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 1_000_000, coreStart: 0, coreEnd: 1_000_000 };
    const reads: ReadView[] = [];
    const dropped = [5, 7, 9, 12, 14]; // of every 20 fragments, per 20 kb stretch of 350-550 kb: 25-70 % fewer reads
    for (let s = 0; s + INSERT < 1_000_000; s += 10) {
      if (s >= 0 && s < 350_000 && s % 20 === 10) continue; // one copy left
      if (s >= 350_000 && s < 550_000 && (s / 10) % 20 < dropped[Math.floor((s - 350_000) / 20_000) % dropped.length]!) continue;
      reads.push(...concordant(s));
    }
    const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
    for (const r of reads.sort((a, b) => a.start - b.start)) caller.observe(r);
    const calls = caller.finish().calls;
    expect(calls.filter((c) => c.type === 'DUP')).toEqual([]);
    const loss = calls.find((c) => c.type === 'DEL' && c.start < 20_000);
    expect(loss).toMatchObject({ copyNumber: 1, genotype: '0/1', filter: 'PASS' });
    expect(near(loss!.end, 350_000, 10_000)).toBe(true);
  });

  test('a unit where a one-copy loss outnumbers the normal bins (a terminal deletion filling most of its window) calls the loss, not the normal part as a gain', () => {
    // Seeds 43, 49 and 51: their densest depth band is one copy, and measured against it the normal part became a 2x gain.
    const big: WorkUnit = { id: 'chrT:0-1000000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 1_000_000, coreStart: 0, coreEnd: 1_000_000 };
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 1_000_000; s += 10) {
      if (s < 580_000 && s % 20 === 10) continue; // one copy left over 0-580 kb
      reads.push(...concordant(s));
    }
    const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
    for (const r of reads.sort((a, b) => a.start - b.start)) caller.observe(r);
    const result = caller.finish();
    expect(result.calls.filter((c) => c.type === 'DUP')).toEqual([]);
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatchObject({ type: 'DEL', copyNumber: 1, genotype: '0/1', filter: 'PASS' });
    expect(near(result.calls[0]!.start, 0, 10_000) && near(result.calls[0]!.end, 580_000, 10_000)).toBe(true);
    // Two copies is the normal part's depth, not the densest band's.
    expect(result.stats.depthTwoCopies).toBeGreaterThan(1.8 * result.stats.depthDensest!);
  });

  test('depth too uneven to read as copy number (a BAM cut to regions): depth-only changes are UnevenDepth, with no genotype, and the unit says why', () => {
    const big: WorkUnit = { id: 'chrT:0-1000000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 1_000_000, coreStart: 0, coreEnd: 1_000_000 };
    // Each 10 kb keeps a different share of its fragments (10-100 %, shuffled): a patchwork of depths, as in the HG002 test subset.
    const keep = Array.from({ length: 100 }, (_, i) => 2 + ((i * 37) % 19));
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 1_000_000; s += 10) {
      if ((s / 10) % 20 >= keep[Math.floor(s / 10_000)]!) continue;
      reads.push(...concordant(s));
    }
    const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
    for (const r of reads.sort((a, b) => a.start - b.start)) caller.observe(r);
    const result = caller.finish();
    expect(result.calls.length).toBeGreaterThan(0);
    for (const c of result.calls) expect(c).toMatchObject({ filter: 'UnevenDepth', genotype: './.', genotypeQuality: 0, pairedEnd: 0 });
    expect(result.stats.depthFitShare).toBeLessThan(MIN_FIT_SHARE);
    // The unit says so in its statistics too: the scorer's domain rule reads it (shared/scoring/domain.ts).
    expect(result.stats.depthUneven).toBe(1);
    expect(result.warnings.join(' ')).toMatch(/chrT:0-1000000: read depth too uneven to read copy number \(\d+ % of its 10 kb bins at a whole copy number/);
  });

  test('two pairs spanning a segmental duplication, whose unique depth is low: depth cannot confirm them (LowMappability); in unique sequence it does', () => {
    const big: WorkUnit = { id: 'chrT:0-400000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 400_000, coreStart: 0, coreEnd: 400_000 };
    const run = (ambiguousInside: boolean) => {
      const reads: ReadView[] = [];
      for (let s = 0; s + INSERT < 400_000; s += 10) {
        // 150-250 kb: half of the fragments are missing as unique reads; with ambiguousInside they are there with MAPQ 0.
        const inside = s >= 150_000 && s < 250_000 && s % 20 === 10;
        if (inside && !ambiguousInside) continue;
        reads.push(...concordant(s).map((r) => (inside ? { ...r, mapq: 0 } : r)));
      }
      // Two FR pairs from 149,800 to 250,100: a 100 kb "deletion".
      for (const s of [149_700, 149_720]) reads.push(read(s, FLAG.mateReverse | FLAG.read1, 250_100 + (s - 149_700), 100_000 + INSERT));
      const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
      for (const r of reads.sort((a, b) => a.start - b.start)) caller.observe(r);
      return caller.finish().calls.filter((c) => c.pairedEnd === 2);
    };
    const [seg] = run(true);
    expect(seg).toMatchObject({ type: 'DEL', pairedEnd: 2, filter: 'LowMappability', genotype: './.' });
    expect(seg!.depthFoldChange!).toBeLessThan(0.75);
    const [unique] = run(false);
    expect(unique).toMatchObject({ type: 'DEL', pairedEnd: 2, filter: 'PASS' });
  });

  test('the same drop where the missing reads map ambiguously (a segmental duplication) cannot be assessed: LowMappability, no genotype', () => {
    const big: WorkUnit = { id: 'chrT:0-600000', contig: 'chrT', chromosome: 'chrT', start: 0, end: 600_000, coreStart: 0, coreEnd: 600_000 };
    const reads: ReadView[] = [];
    for (let s = 0; s + INSERT < 600_000; s += 10) {
      // In 200–300 kb every other fragment's reads have MAPQ 0: two copies, half of the reads placed elsewhere.
      const ambiguous = s >= 200_000 && s < 300_000 && s % 20 === 10;
      reads.push(...concordant(s).map((r) => (ambiguous ? { ...r, mapq: 0 } : r)));
    }
    const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
    for (const r of reads.sort((a, b) => a.start - b.start)) caller.observe(r);
    const calls = caller.finish().calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ type: 'DEL', filter: 'LowMappability', genotype: './.', genotypeQuality: 0 });
  });
});

describe('depth between whole copy numbers (a change in part of the cells)', () => {
  test('wholeCopyLogRatio: 0 at a whole copy number, growing with the read starts counted between two', () => {
    expect(wholeCopyLogRatio(200, 100, 5)).toBe(0); // 2 copies
    expect(wholeCopyLogRatio(100, 100, 5)).toBe(0); // 1 copy
    const half = wholeCopyLogRatio(150, 100, 5); // 1.5 copies on 150 read starts
    expect(half).toBeGreaterThan(0);
    expect(wholeCopyLogRatio(1500, 1000, 5)).toBeCloseTo(10 * half, 0); // ten times the reads, ten times the evidence
    expect(wholeCopyLogRatio(0, 100, 5)).toBe(0);
    expect(wholeCopyLogRatio(50, 0, 5)).toBe(0);
  });

  /** 200 kb at 15x with a 20 kb deletion of one copy in a fraction `carriers` of the cells, and its pairs. */
  function partialLoss(carriers: number): SvCall | undefined {
    const DEL = [80_000, 100_000];
    const reads: ReadView[] = [];
    let k = 0;
    for (let s = 0; s + INSERT < 200_000; s += 10) {
      const e = s + INSERT;
      const overlaps = e > DEL[0]! && s < DEL[1]!;
      // Inside, a copy is missing from `carriers / 2` of the fragments (every n-th one dropped).
      if (overlaps && k++ % Math.round(2 / carriers) === 0) continue;
      reads.push(...concordant(s));
    }
    // The carriers' fragments across the junction: 8 deletion-type pairs.
    for (let s = DEL[0]! - 300; s < DEL[0]! - 150; s += 20) reads.push(read(s, FLAG.mateReverse | FLAG.read1, DEL[1]! + (s - DEL[0]!) + INSERT - RL, INSERT + 20_000));
    const calls = callAll(reads.sort((a, b) => a.start - b.start));
    return calls.find((c) => c.type === 'DEL' && Math.abs(c.start - DEL[0]!) < 500 && Math.abs(c.end - DEL[1]!) < 500);
  }

  test('one copy lost in half the cells: 1.5 copies, surely between whole ones, so the scorer leaves the call to the caller', () => {
    const del = partialLoss(0.5)!;
    expect(del).toBeDefined();
    expect(del.depthFoldChange!).toBeGreaterThan(0.7);
    expect(del.depthFoldChange!).toBeLessThan(0.8);
    expect(del.evidence!.depthBetweenCopiesLogRatio!).toBeGreaterThan(MOSAIC_MIN_LOG10_RATIO);
    expect(betweenWholeCopies(del)).toBe(true);
  });

  test('one copy lost in every cell: 1 copy, not between', () => {
    const del = partialLoss(1)!;
    expect(del).toBeDefined();
    expect(del.depthFoldChange!).toBeLessThan(0.6);
    expect(del.evidence!.depthBetweenCopiesLogRatio!).toBeLessThan(MOSAIC_MIN_LOG10_RATIO);
    expect(betweenWholeCopies(del)).toBe(false);
  });
});

describe('large losses and GC: GC correction is used only where it makes depth read better as whole copy numbers', () => {
  const LEN = 6_000_000;
  const big: WorkUnit = { id: 'chrT:0-6000000', contig: 'chrT', chromosome: 'chrT', start: 0, end: LEN, coreStart: 0, coreEnd: LEN };
  /** A fixed scatter in [0, 1) per 10 kb bin. */
  const scatter = (pos: number) => (Math.floor(pos / 10_000) * 0.6180339887) % 1;
  /** 6 Mb at 15x: a fragment every 20 bp where `keep(s)` says so, each read with the GC `gcAt` gives. */
  function run(keep: (s: number) => boolean, gcAt: (pos: number) => number) {
    const caller = createPairCaller({ unit: big, library, expectedDepth: 15, contigNames: ['chrT'] });
    for (let s = 0; s + INSERT < LEN; s += 20) {
      if (!keep(s)) continue;
      for (const r of concordant(s)) {
        caller.observe(r);
        caller.addGc(r.start, gcAt(r.start));
      }
    }
    return caller.finish();
  }

  test('a 3 Mb loss of one copy whose GC is lower than the rest: GC correction would erase it, so the raw bins are read, and it is called', () => {
    // GC 0.30-0.50 in the one-copy half, 0.40-0.60 in the two-copy half: the median of bins of like GC follows the copy number.
    const result = run(
      (s) => s >= LEN / 2 || s % 40 === 0,
      (pos) => (pos < LEN / 2 ? 0.3 : 0.4) + 0.2 * scatter(pos),
    );
    expect(result.stats.depthUneven).toBe(0);
    const loss = result.calls.find((c) => c.type === 'DEL' && c.copyNumber === 1 && c.svlen > 2_500_000);
    expect(loss).toBeDefined();
    expect(loss!.filter).toBe('PASS');
  });

  test('two copies throughout, read with a GC bias (a quarter fewer fragments from GC-poor bins): corrected, nothing is called and the unit is even', () => {
    const gcAt = (pos: number) => 0.3 + 0.3 * scatter(pos);
    // GC-poor bins (below 0.4) lose every fourth fragment: raw, a third of the bins sit at 1.5 copies.
    const result = run((s) => gcAt(s) >= 0.4 || s % 80 !== 0, gcAt);
    expect(result.stats.depthUneven).toBe(0);
    expect(result.calls.filter((c) => c.type === 'DEL' || c.type === 'DUP')).toEqual([]);
  });
});
