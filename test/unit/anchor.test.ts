/**
 * anchorPairCalls: split reads whose other part mapped ambiguously (MAPQ < 10,
 * a repeat) place the breakpoint of an imprecise pair call at the end where
 * their own part is clipped, and only there.
 */
import { anchorPairCalls } from '../../shared/caller/caller';
import type { WeakJunction } from '../../shared/caller/splits';
import type { SvCall } from '../../shared/contracts';
import { saSegments } from '../../shared/caller/splits';

function call(over: Partial<SvCall>): SvCall {
  return {
    id: 'INV-1', chrom: '1', start: 10_000, end: 20_000, type: 'INV', svlen: 10_000, ciPos: [-320, 320], ciEnd: [-320, 320], precise: false,
    genotype: '1/1', genotypeQuality: 40, pairedEnd: 28, splitReads: 0, depthFoldChange: null, copyNumber: null, score: 1, filter: 'PASS',
    ...over,
  };
}

/** A read clipped at `anchor` (the right end) whose other part landed at `far` (somewhere in a repeat at the left end). */
function weak(far: number, anchor: number, kind: WeakJunction['kind'] = 'INV'): WeakJunction {
  return { kind, start: far, end: anchor, size: anchor - far, homology: 0, orientation: '33', mateRef: -1, matePos: -1, source: 'split', mapq: 0, nm: 0, forward: true, anchor };
}

describe('anchoring pair calls with ambiguously mapped split reads', () => {
  test('reads clipped at one end, their other parts scattered over a repeat at the other: that end becomes exact, the other stays as the pairs put it', () => {
    const reads = [weak(9_810, 20_040), weak(9_860, 20_040), weak(10_150, 20_040), weak(10_200, 20_041)];
    const a = anchorPairCalls([call({})], reads).get(0);
    expect(a).toMatchObject({ start: null, end: 20_040, reads: 4, mapq: 0 });
  });

  test('anchors at both ends make both exact', () => {
    const reads = [weak(10_010, 20_040), weak(10_010, 20_040), { ...weak(10_010, 20_040), anchor: 10_010 }, { ...weak(10_010, 20_100), anchor: 10_010 }];
    expect(anchorPairCalls([call({})], reads).get(0)).toMatchObject({ start: 10_010, end: 20_040, reads: 4 });
  });

  test('nothing is anchored by reads of another type, too few reads, reads outside the confidence intervals, or reads that agree on no position', () => {
    const three = [weak(9_900, 20_040), weak(9_950, 20_040), weak(10_000, 20_040)];
    expect(anchorPairCalls([call({})], three).size).toBe(1);
    expect(anchorPairCalls([call({})], three.slice(0, 2)).size).toBe(0);
    expect(anchorPairCalls([call({ type: 'DEL' })], three).size).toBe(0);
    // Ends 600 bp past the call's end: beyond its ±320 bp interval and the 50 bp tolerance.
    expect(anchorPairCalls([call({})], three.map((j) => ({ ...j, end: 20_600, anchor: 20_600 }))).size).toBe(0);
    // The far part 1 kb left of the start.
    expect(anchorPairCalls([call({})], three.map((j) => ({ ...j, start: 9_000 }))).size).toBe(0);
    const scattered = [weak(9_900, 20_000), weak(9_950, 20_040), weak(10_000, 20_100)];
    expect(anchorPairCalls([call({})], scattered).size).toBe(0);
  });

  test('ends that would make another event than the pairs saw are not placed: a 7 bp "inversion" from a small one whose intervals overlap', () => {
    const small = call({ start: 2_523_300, end: 2_523_700, svlen: 400 });
    const reads = [
      { ...weak(2_523_469, 2_523_476), anchor: 2_523_469 },
      { ...weak(2_523_469, 2_523_476), anchor: 2_523_469 },
      { ...weak(2_523_469, 2_523_476), anchor: 2_523_476 },
      { ...weak(2_523_469, 2_523_476), anchor: 2_523_476 },
    ];
    expect(anchorPairCalls([small], reads).size).toBe(0);
    // Placed where the pairs put the end, the same reads anchor it.
    const apart = reads.map((j) => ({ ...j, end: 2_523_690, anchor: j.anchor === 2_523_476 ? 2_523_690 : j.anchor }));
    expect(anchorPairCalls([small], apart).get(0)).toMatchObject({ start: 2_523_469, end: 2_523_690 });
  });

  test('precise calls (already placed by split reads) and depth-only changes (no pairs) are left alone', () => {
    const reads = [weak(9_900, 20_040), weak(9_950, 20_040), weak(10_000, 20_040)];
    expect(anchorPairCalls([call({ precise: true, ciPos: [0, 0], ciEnd: [0, 0] })], reads).size).toBe(0);
    expect(anchorPairCalls([call({ pairedEnd: 0 })], reads).size).toBe(0);
  });
});

describe('SA entries below the mapping-quality floor', () => {
  test('are skipped by default and kept when asked for (weak junctions)', () => {
    const contigs = new Map([['1', 0]]);
    expect(saSegments('1,2866220,+,37M113S,0,0;', contigs)).toEqual([]);
    expect(saSegments('1,2866220,+,37M113S,0,0;', contigs, 0)).toMatchObject([{ ref: 0, start: 2866219, mapq: 0 }]);
    expect(saSegments('1,2866220,+,37M113S,x,0;', contigs, 0)).toEqual([]);
  });
});
