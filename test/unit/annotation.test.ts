import type { SvCall } from '../../shared/contracts';
import {
  annotateSv,
  annotateSvs,
  chromosomeLength,
  cytobandAt,
  cytobandsOverlapping,
  genesOverlapping,
  refSeqAccession,
  type GeneHit,
} from '../../shared/annotation/annotate';

/** A call with neutral evidence fields; coordinates 0-based half-open as in SvCall. */
function sv(over: Partial<SvCall> & Pick<SvCall, 'chrom' | 'start' | 'end' | 'type'>): SvCall {
  return {
    id: 'sv1', svlen: over.end - over.start, ciPos: [0, 0], ciEnd: [0, 0], precise: true, genotype: '0/1', genotypeQuality: 50,
    pairedEnd: 10, splitReads: 5, depthFoldChange: null, copyNumber: null, score: 0.9, filter: 'PASS', ...over,
  };
}

const bySymbol = (genes: readonly GeneHit[], symbol: string): GeneHit | undefined => genes.find((g) => g.symbol === symbol);

describe('shipped tables', () => {
  test('known genes sit at known places (GRCh38 Ensembl)', () => {
    const cftr = genesOverlapping('GRCh38', 'chr7', 117_500_000, 117_500_001).find((g) => g.symbol === 'CFTR');
    expect(cftr).toEqual({ chrom: '7', start: 117_465_783, end: 117_715_971, symbol: 'CFTR', ensemblId: 'ENSG00000001626', exomeTargeted: true });
    expect(cytobandAt('GRCh38', '7', cftr!.start)).toBe('7q31.2');
    const dmd = genesOverlapping('GRCh38', 'X', 32_000_000, 32_000_001).find((g) => g.symbol === 'DMD');
    expect(dmd).toMatchObject({ start: 31_097_676, end: 33_339_441 });
    expect(cytobandsOverlapping('GRCh38', 'X', dmd!.start, dmd!.end)).toEqual(['Xp21.2', 'Xp21.1']);
  });

  test('GRCh37 spans come from exome targets (symbols only)', () => {
    const cftr = genesOverlapping('GRCh37', '7', 117_200_000, 117_200_001).find((g) => g.symbol === 'CFTR');
    expect(cftr).toMatchObject({ chrom: '7', start: 117_119_940, end: 117_308_773, ensemblId: null, exomeTargeted: true });
    expect(cytobandAt('GRCh37', 'chr7', 117_200_000)).toBe('7q31.2');
    expect(genesOverlapping('GRCh37', 'X', 32_000_000, 32_000_001).map((g) => g.symbol)).toContain('DMD');
  });

  test('clone-named Ensembl genes are dropped, pseudogenes kept but not exome-targeted', () => {
    const all = genesOverlapping('GRCh38', '1', 0, 250_000_000);
    expect(all.length).toBeGreaterThan(2500);
    expect(all.some((g) => /^A[CLP]\d+\.\d+$/.test(g.symbol))).toBe(false);
    expect(all.find((g) => g.symbol === 'RPSAP21')?.exomeTargeted).toBe(false);
  });

  test('cytoband lookup at band boundaries (0-based, half-open)', () => {
    // GRCh38 chr1: p36.33 [0, 2300000), p36.32 [2300000, 5300000).
    expect(cytobandAt('GRCh38', 'chr1', 0)).toBe('1p36.33');
    expect(cytobandAt('GRCh38', '1', 2_299_999)).toBe('1p36.33');
    expect(cytobandAt('GRCh38', '1', 2_300_000)).toBe('1p36.32');
    // GRCh37 differs: p36.32 is [2300000, 5400000).
    expect(cytobandAt('GRCh37', '1', 5_399_999)).toBe('1p36.32');
    expect(cytobandAt('GRCh38', '1', 5_399_999)).toBe('1p36.31');
    expect(cytobandsOverlapping('GRCh38', '1', 2_299_999, 2_300_001)).toEqual(['1p36.33', '1p36.32']);
    expect(cytobandsOverlapping('GRCh38', '1', 2_300_000, 2_300_001)).toEqual(['1p36.32']);
    const len = chromosomeLength('GRCh38', '1');
    expect(len).toBe(248_956_422);
    expect(cytobandAt('GRCh38', '1', len! - 1)).toBe('1q44');
    expect(cytobandAt('GRCh38', '1', len!)).toBeNull();
    expect(chromosomeLength('GRCh37', 'chrX')).toBe(155_270_560);
    expect(cytobandAt('GRCh38', 'chrM', 100)).toBeNull();
  });

  test('RefSeq accessions differ between builds', () => {
    expect(refSeqAccession('GRCh38', 'chr1')).toBe('NC_000001.11');
    expect(refSeqAccession('GRCh37', '1')).toBe('NC_000001.10');
    expect(refSeqAccession('GRCh38', 'X')).toBe('NC_000023.11');
    expect(refSeqAccession('GRCh37', 'X')).toBe('NC_000023.10');
    expect(refSeqAccession('GRCh38', 'chrY')).toBe('NC_000024.10');
    expect(refSeqAccession('GRCh37', 'Y')).toBe('NC_000024.9');
    expect(refSeqAccession('GRCh38', '7')).toBe('NC_000007.14');
    expect(refSeqAccession('GRCh37', '7')).toBe('NC_000007.13');
    expect(refSeqAccession('GRCh38', 'M')).toBeNull();
  });
});

describe('annotateSv', () => {
  test('DEL: Williams-Beuren region, genes contained or disrupted, ISCN + HGVS', () => {
    // chr7:72,744,455-74,142,513 (1-based) = [72744454, 74142513) 0-based.
    const a = annotateSv(sv({ chrom: 'chr7', start: 72_744_454, end: 74_142_513, type: 'DEL' }), 'GRCh38');
    expect(a.assessed).toBe(true);
    expect(a.cytobands).toEqual(['7q11.23']);
    expect(a.karyotype).toBe('seq[GRCh38] del(7)(q11.23q11.23)');
    expect(a.hgvs).toBe('NC_000007.14:g.72744455_74142513del');
    expect(a.iscn).toBe('seq[GRCh38] del(7)(q11.23q11.23) NC_000007.14:g.72744455_74142513del');
    expect(bySymbol(a.genes, 'ELN')).toMatchObject({ relation: 'contained', breakpoints: [] });
    expect(a.genes.every((g) => g.chrom === '7')).toBe(true);
    const crossing = a.genes.filter((g) => g.relation === 'disrupted');
    for (const g of crossing) expect(g.start < 72_744_454 || g.end > 74_142_513).toBe(true);
    expect(a.note).toBeNull();
  });

  test('relations at the breakpoints: contained, disrupted at start/end, intragenic', () => {
    // CFTR GRCh38 [117465783, 117715971).
    const around = annotateSv(sv({ chrom: '7', start: 117_465_783, end: 117_715_971, type: 'DUP' }), 'GRCh38');
    expect(bySymbol(around.genes, 'CFTR')).toMatchObject({ relation: 'contained' });
    expect(around.cytobands).toEqual(['7q31.2', '7q31.31']);
    expect(around.karyotype).toBe('seq[GRCh38] dup(7)(q31.2q31.31)');
    expect(around.hgvs).toBe('NC_000007.14:g.117465784_117715971dup');
    const oneShort = annotateSv(sv({ chrom: '7', start: 117_465_784, end: 117_715_971, type: 'DEL' }), 'GRCh38');
    expect(bySymbol(oneShort.genes, 'CFTR')).toMatchObject({ relation: 'disrupted', breakpoints: ['start'] });
    const rightEnd = annotateSv(sv({ chrom: '7', start: 117_600_000, end: 118_000_000, type: 'DEL' }), 'GRCh38');
    expect(bySymbol(rightEnd.genes, 'CFTR')).toMatchObject({ relation: 'disrupted', breakpoints: ['start'] });
    const exonDel = annotateSv(sv({ chrom: '7', start: 117_500_000, end: 117_510_000, type: 'DEL', genotype: '1/1' }), 'GRCh38');
    expect(bySymbol(exonDel.genes, 'CFTR')).toMatchObject({ relation: 'disrupted', breakpoints: ['start', 'end'] });
    // Homozygous: two abnormal homologues.
    expect(exonDel.iscn).toBe('seq[GRCh38] del(7)(q31.2q31.2)x2 NC_000007.14:g.[117500001_117510000del];[117500001_117510000del]');
    // A gene merely touching the event (end == start) is not overlapped.
    const touching = annotateSv(sv({ chrom: '7', start: 117_715_971, end: 117_720_000, type: 'DEL' }), 'GRCh38');
    expect(bySymbol(touching.genes, 'CFTR')).toBeUndefined();
  });

  test('imprecise breakpoints give HGVS uncertain ranges', () => {
    const a = annotateSv(sv({ chrom: '7', start: 72_744_454, end: 74_142_513, type: 'DEL', precise: false, ciPos: [-100, 50], ciEnd: [-20, 200] }), 'GRCh38');
    expect(a.hgvs).toBe('NC_000007.14:g.(72744355_72744505)_(74142493_74142713)del');
  });

  test('INV: genes inside are inverted, genes at breakpoints disrupted; pericentric bands', () => {
    const a = annotateSv(sv({ chrom: '7', start: 117_000_000, end: 117_600_000, type: 'INV' }), 'GRCh38');
    expect(bySymbol(a.genes, 'CFTR')).toMatchObject({ relation: 'disrupted', breakpoints: ['end'] });
    expect(a.genes.filter((g) => g.relation === 'inverted').length).toBeGreaterThan(0);
    expect(a.karyotype).toBe('seq[GRCh38] inv(7)(q31.2q31.2)');
    expect(a.hgvs).toBe('NC_000007.14:g.117000001_117600000inv');
    // Breakpoints on both arms: a pericentric inversion, p band first.
    const peri = annotateSv(sv({ chrom: '7', start: 40_000_000, end: 92_000_000, type: 'INV' }), 'GRCh38');
    expect(peri.karyotype).toBe(`seq[GRCh38] inv(7)(${cytobandAt('GRCh38', '7', 40_000_000)!.slice(1)}${cytobandAt('GRCh38', '7', 91_999_999)!.slice(1)})`);
    expect(peri.karyotype).toMatch(/^seq\[GRCh38\] inv\(7\)\(p\d+(\.\d+)?q\d+(\.\d+)?\)$/);
  });

  test('INS: the gene holding the insertion point is disrupted', () => {
    const a = annotateSv(sv({ chrom: 'chr7', start: 117_500_000, end: 117_500_000, svlen: 320, type: 'INS' }), 'GRCh38');
    expect(a.genes.map((g) => [g.symbol, g.relation])).toContainEqual(['CFTR', 'disrupted']);
    expect(a.cytobands).toEqual(['7q31.2']);
    expect(a.iscn).toBe('seq[GRCh38] ins(7;?)(q31.2;?) NC_000007.14:g.117500000_117500001insN[320]');
    // At the first base of a gene the insertion is before the gene: not disrupted.
    const edge = annotateSv(sv({ chrom: '7', start: 117_465_783, end: 117_465_783, svlen: 50, type: 'INS' }), 'GRCh38');
    expect(bySymbol(edge.genes, 'CFTR')).toBeUndefined();
  });

  test('CNV: direction from copy number (or depth), homozygous loss, no guess when neutral', () => {
    const gain = annotateSv(sv({ chrom: '22', start: 18_900_000, end: 21_500_000, type: 'CNV', copyNumber: 3 }), 'GRCh38');
    expect(gain.karyotype).toMatch(/^seq\[GRCh38\] dup\(22\)\(q11\.2\d?q11\.2\d?\)$/);
    expect(gain.hgvs).toBe('NC_000022.11:g.18900001_21500000dup');
    expect(gain.genes.find((g) => g.symbol === 'TBX1')?.relation).toBe('contained');
    const loss = annotateSv(sv({ chrom: '9', start: 21_900_000, end: 22_000_000, type: 'CNV', copyNumber: 0 }), 'GRCh38');
    expect(loss.karyotype).toBe('seq[GRCh38] del(9)(p21.3p21.3)x2');
    const byDepth = annotateSv(sv({ chrom: '9', start: 21_900_000, end: 22_000_000, type: 'CNV', depthFoldChange: 0.5 }), 'GRCh38');
    expect(byDepth.karyotype).toBe('seq[GRCh38] del(9)(p21.3p21.3)');
    const neutral = annotateSv(sv({ chrom: '9', start: 21_900_000, end: 22_000_000, type: 'CNV', copyNumber: 2 }), 'GRCh38');
    expect(neutral.assessed).toBe(true);
    expect(neutral.iscn).toBeNull();
    expect(neutral.genes.length).toBeGreaterThan(0);
    expect(neutral.note).toMatch(/unknown direction/);
  });

  test('BND: reciprocal translocation t(9;22) BCR-ABL1, lower chromosome first, derivative junction', () => {
    // der(22): 22pter → BCR (5') :: ABL1 (3') → 9qter. Local piece left of its breakend ('+'), mate's right ('-').
    const der22 = sv({ chrom: 'chr22', start: 23_290_000, end: 23_290_001, svlen: 0, type: 'BND', mate: { chrom: 'chr9', pos: 130_800_000, id: 'sv2' }, strands: '+-' });
    const a = annotateSv(der22, 'GRCh38');
    expect(a.karyotype).toBe('seq[GRCh38] t(9;22)(q34.12;q11.23)');
    expect(a.hgvs).toBe('NC_000022.11:g.pter_cen_23290001::NC_000009.12:g.130800001_qter');
    expect(a.cytobands).toEqual(['22q11.23', '9q34.12']);
    expect(bySymbol(a.genes, 'BCR')).toMatchObject({ chrom: '22', relation: 'disrupted', breakpoints: ['start'] });
    expect(bySymbol(a.genes, 'ABL1')).toMatchObject({ chrom: '9', relation: 'disrupted', breakpoints: ['mate'] });
    // Its partner, der(9): 9pter → ABL1 (5') :: BCR (3') → 22qter, seen from chromosome 9: same t().
    const der9 = sv({ chrom: 'chr9', start: 130_800_000, end: 130_800_001, svlen: 0, type: 'BND', mate: { chrom: 'chr22', pos: 23_290_000, id: 'sv1' }, strands: '+-' });
    const b = annotateSv(der9, 'GRCh38');
    expect(b.karyotype).toBe(a.karyotype);
    expect(b.hgvs).toBe('NC_000009.12:g.pter_cen_130800001::NC_000022.11:g.23290001_qter');
    // The reverse view of the same junction (local '-', mate '+'): mate piece first.
    const rev = annotateSv(sv({ ...der9, strands: '-+', mate: { chrom: '22', pos: 23_290_000, id: 'x' } }), 'GRCh38');
    expect(rev.hgvs).toBe('NC_000022.11:g.pter_cen_23290001::NC_000009.12:g.130800001_qter');
    // Head-to-head junction ('++'): the mate piece reads backwards, towards its pter.
    const inv = annotateSv(sv({ ...der22, strands: '++' }), 'GRCh38');
    expect(inv.hgvs).toBe('NC_000022.11:g.pter_cen_23290001::NC_000009.12:g.130800001_cen_pter');
    const tail = annotateSv(sv({ ...der22, strands: '--' }), 'GRCh38');
    expect(tail.hgvs).toBe('NC_000009.12:g.qter_130800001::NC_000022.11:g.23290001_qter');
  });

  test('BND: sex chromosome first (ISCN 2020), GRCh37 accessions, no strands → no HGVS', () => {
    const a = annotateSv(sv({ chrom: '1', start: 10_000_000, end: 10_000_001, svlen: 0, type: 'BND', mate: { chrom: 'X', pos: 32_000_000, id: 'm' } }), 'GRCh37');
    expect(a.karyotype).toBe(`seq[GRCh37] t(X;1)(p21.1;${cytobandAt('GRCh37', '1', 10_000_000)!.slice(1)})`);
    expect(a.hgvs).toBeNull();
    expect(a.iscn).toBe(a.karyotype);
    expect(bySymbol(a.genes, 'DMD')).toMatchObject({ chrom: 'X', relation: 'disrupted', breakpoints: ['mate'] });
    expect(a.geneModel).toBe('exome-coding-span');
    expect(a.note).toMatch(/approximate/);
    // t(8;11): both autosomes, lower number first whichever side the call is on.
    const t811 = annotateSv(sv({ chrom: '11', start: 108_000_000, end: 108_000_001, svlen: 0, type: 'BND', mate: { chrom: '8', pos: 96_000_000, id: 'm' }, strands: '+-' }), 'GRCh38');
    expect(t811.karyotype).toMatch(/^seq\[GRCh38\] t\(8;11\)\(q\d+(\.\d+)?;q22\.\d\)$/);
    expect(t811.hgvs).toBe('NC_000011.10:g.pter_cen_108000001::NC_000008.11:g.96000001_qter');
  });

  test('BND: intrachromosomal and single breakends get genes and bands but no t()', () => {
    const intra = annotateSv(sv({ chrom: '7', start: 117_500_000, end: 117_500_001, svlen: 0, type: 'BND', mate: { chrom: '7', pos: 150_000_000, id: 'm' }, strands: '+-' }), 'GRCh38');
    expect(intra.karyotype).toBeNull();
    expect(intra.hgvs).toBe('NC_000007.14:g.pter_cen_117500001::NC_000007.14:g.150000001_qter');
    expect(intra.note).toMatch(/intrachromosomal/);
    expect(bySymbol(intra.genes, 'CFTR')?.relation).toBe('disrupted');
    const single = annotateSv(sv({ chrom: '7', start: 117_500_000, end: 117_500_001, svlen: 0, type: 'BND' }), 'GRCh38');
    expect(single.assessed).toBe(true);
    expect(single.iscn).toBeNull();
    expect(single.cytobands).toEqual(['7q31.2']);
  });

  test('unknown build, unknown chromosome, outside the chromosome → not assessed, with a note', () => {
    const call = sv({ chrom: '7', start: 72_744_454, end: 74_142_513, type: 'DEL' });
    for (const build of [null, undefined, 'hg18', 'CHM13']) {
      const a = annotateSv(call, build);
      expect(a).toMatchObject({ assessed: false, genes: [], cytobands: [], iscn: null, build: null });
      expect(a.note).toMatch(/^could not assess: reference build/);
    }
    expect(annotateSv(sv({ ...call, chrom: 'chrM', start: 100, end: 200 }), 'GRCh38').note).toMatch(/could not assess: chromosome chrM/);
    expect(annotateSv(sv({ ...call, chrom: 'GL000220.1', start: 100, end: 200 }), 'GRCh38').assessed).toBe(false);
    // chr1 of GRCh37 is longer than GRCh38's: a GRCh37 position past GRCh38's end is refused, not clipped.
    const beyond = annotateSv(sv({ chrom: '1', start: 248_960_000, end: 249_000_000, type: 'DEL' }), 'GRCh38');
    expect(beyond.assessed).toBe(false);
    expect(beyond.note).toMatch(/beyond the end.*wrong build/);
    expect(annotateSv(sv({ chrom: '1', start: 248_960_000, end: 249_000_000, type: 'DEL' }), 'GRCh37').assessed).toBe(true);
    const badMate = annotateSv(sv({ chrom: '1', start: 10, end: 11, svlen: 0, type: 'BND', mate: { chrom: 'hs37d5', pos: 5, id: 'm' } }), 'GRCh37');
    expect(badMate.assessed).toBe(false);
    expect(badMate.note).toMatch(/mate/);
  });

  test('thousands of calls annotate quickly', () => {
    const calls: SvCall[] = [];
    for (let i = 0; i < 5000; i++) {
      const start = 1_000_000 + (i % 1000) * 40_000;
      calls.push(sv({ id: `c${i}`, chrom: String((i % 22) + 1), start, end: start + 5_000 + (i % 7) * 100_000, type: i % 2 ? 'DEL' : 'DUP' }));
    }
    const t0 = Date.now();
    const out = annotateSvs(calls, 'GRCh38');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(out.every((a) => a.assessed && a.iscn !== null)).toBe(true);
  });
});
