import type { SvCall } from '../../shared/contracts';
import { classifyTranslocations, countByType, pairBreakends, removeDuplicates, sortByContigOrder } from '../../shared/merge';

function call(over: Partial<SvCall>): SvCall {
  return {
    id: over.id ?? `DEL-${over.chrom ?? '1'}-${over.start ?? 0}`,
    chrom: '1', start: 0, end: 1000, type: 'DEL', svlen: 1000, ciPos: [0, 0], ciEnd: [0, 0], precise: false,
    genotype: '0/1', genotypeQuality: 20, pairedEnd: 5, splitReads: 0, depthFoldChange: 0.5, copyNumber: 1, score: 0.5, filter: 'PASS',
    ...over,
  };
}

describe('merging work units', () => {
  test('the same event seen by two overlapping windows is kept once, with the better support', () => {
    const a = call({ id: 'a', start: 1000, end: 5000, pairedEnd: 4 });
    const b = call({ id: 'b', start: 1040, end: 5020, pairedEnd: 9 });
    const c = call({ id: 'c', start: 1040, end: 5020, type: 'DUP' });
    const d = call({ id: 'd', start: 9000, end: 12000 });
    expect(removeDuplicates([a, d, b, c]).map((x) => x.id).sort()).toEqual(['b', 'c', 'd']);
  });
  test('the two junctions of a reciprocal translocation, a few bp apart but facing opposite ways, are both kept', () => {
    const der1 = call({ id: 'der1', chrom: '20', start: 6932123, end: 6932124, type: 'BND', svlen: 0, strands: '-+', mate: { chrom: '1', pos: 162571, id: '' } });
    const der20 = call({ id: 'der20', chrom: '20', start: 6932125, end: 6932126, type: 'BND', svlen: 0, strands: '+-', mate: { chrom: '1', pos: 162570, id: '' } });
    const again = call({ id: 'again', chrom: '20', start: 6932130, end: 6932131, type: 'BND', svlen: 0, strands: '+-', mate: { chrom: '1', pos: 162590, id: '' }, pairedEnd: 1 });
    expect(removeDuplicates([der1, der20, again]).map((x) => x.id).sort()).toEqual(['der1', 'der20']);
  });
  test('breakends on two chromosomes are linked to their mates', () => {
    const x = call({ id: 'x', chrom: '8', start: 100, end: 101, type: 'BND', svlen: 0, mate: { chrom: '11', pos: 5000, id: '' } });
    const y = call({ id: 'y', chrom: '11', start: 5010, end: 5011, type: 'BND', svlen: 0, mate: { chrom: '8', pos: 95, id: '' } });
    const z = call({ id: 'z', chrom: '3', start: 1, end: 2, type: 'BND', svlen: 0, mate: { chrom: '4', pos: 1, id: '' } });
    const { calls, unpaired } = pairBreakends([x, y, z]);
    expect(calls.find((c) => c.id === 'x')?.mate?.id).toBe('y');
    expect(calls.find((c) => c.id === 'y')?.mate?.id).toBe('x');
    expect(unpaired).toEqual(['z']);
  });
  test('genome order follows the BAM header, then position', () => {
    const calls = [call({ id: 'p', chrom: 'chr2', start: 5 }), call({ id: 'q', chrom: 'chr10', start: 1 }), call({ id: 'r', chrom: 'chr2', start: 1 })];
    expect(sortByContigOrder(calls, ['chr2', 'chr10']).map((c) => c.id)).toEqual(['r', 'p', 'q']);
    expect(countByType(calls)).toEqual({ DEL: 3 });
  });
});

describe('translocations', () => {
  const bnd = (id: string, chrom: string, start: number, mateChrom: string, matePos: number, mateId: string) =>
    call({ id, chrom, start, end: start + 1, type: 'BND', svlen: 0, mate: { chrom: mateChrom, pos: matePos, id: mateId } });

  test('two junctions at the same breakpoints are one reciprocal translocation; a lone junction is unbalanced', () => {
    const calls = [
      bnd('a1', '8', 1_000, '11', 50_000, 'a2'), bnd('a2', '11', 50_000, '8', 1_000, 'a1'),
      bnd('b1', '8', 1_200, '11', 50_300, 'b2'), bnd('b2', '11', 50_300, '8', 1_200, 'b1'),
      bnd('c1', '3', 5_000, '7', 9_000, 'c2'), bnd('c2', '7', 9_000, '3', 5_000, 'c1'),
    ];
    const out = classifyTranslocations(calls);
    const ev = (id: string) => out.find((c) => c.id === id)!.event;
    expect(ev('a1')).toEqual({ id: 'TRA1', type: 'reciprocal-translocation' });
    expect(['a2', 'b1', 'b2'].map(ev)).toEqual([ev('a1'), ev('a1'), ev('a1')]);
    expect(ev('c1')).toEqual({ id: 'TRA2', type: 'unbalanced-translocation' });
    expect(ev('c2')).toEqual(ev('c1'));
  });

  test('junctions far apart on one chromosome are two unbalanced events (the Manta demo t(8;11))', () => {
    const out = classifyTranslocations([
      bnd('x1', '8', 107_653_403, '11', 94_987_784, 'x2'), bnd('x2', '11', 94_987_784, '8', 107_653_403, 'x1'),
      bnd('y1', '8', 107_653_521, '11', 94_975_642, 'y2'), bnd('y2', '11', 94_975_642, '8', 107_653_521, 'y1'),
    ]);
    expect(new Set(out.map((c) => c.event?.type))).toEqual(new Set(['unbalanced-translocation']));
    expect(new Set(out.map((c) => c.event?.id)).size).toBe(2);
  });
});
