/**
 * The read-evidence primitives on hand-made cases: the junction a split read
 * describes, SA parsing, and the insertion assembly from clipped reads.
 */
import { assembleInsertion, clusterJunctions, extendRight, junctionBetween, parseCigar, reverseComplement, saSegments, type Junction } from '../../shared/caller/splits';

const seg = (ref: number, start: number, end: number, reverse: boolean, qStart: number, qEnd: number) => ({ ref, start, end, reverse, qStart, qEnd });

describe('the junction of a split read', () => {
  test('forward parts jumping right make a deletion, with microhomology moved left', () => {
    expect(junctionBetween(seg(0, 1000, 1080, false, 0, 80), seg(0, 1180, 1250, false, 80, 150), 0)).toMatchObject({ kind: 'DEL', start: 1080, end: 1180, size: 100 });
    // 3 bases of the read align to both parts: the breakpoint may lie 3 bp further left.
    expect(junctionBetween(seg(0, 1000, 1083, false, 0, 83), seg(0, 1180, 1250, false, 80, 150), 0)).toMatchObject({ kind: 'DEL', start: 1080, end: 1180, homology: 3 });
  });
  test('a reverse read gives the same deletion (parts swap when read on the forward strand)', () => {
    expect(junctionBetween(seg(0, 1180, 1250, true, 0, 70), seg(0, 1000, 1080, true, 70, 150), 0)).toMatchObject({ kind: 'DEL', start: 1080, end: 1180 });
  });
  test('unaligned bases between adjacent parts make an insertion', () => {
    expect(junctionBetween(seg(0, 1000, 1050, false, 0, 50), seg(0, 1050, 1090, false, 110, 150), 0)).toMatchObject({ kind: 'INS', start: 1050, size: 60 });
  });
  test('a jump back is a tandem duplication', () => {
    expect(junctionBetween(seg(0, 1400, 1500, false, 0, 100), seg(0, 1100, 1150, false, 100, 150), 0)).toMatchObject({ kind: 'DUP', start: 1100, end: 1500, size: 400 });
  });
  test('opposite strands are an inversion junction; another contig a breakend seen from the local side', () => {
    expect(junctionBetween(seg(0, 1000, 1100, false, 0, 100), seg(0, 5000, 5050, true, 100, 150), 0)).toMatchObject({ kind: 'INV', start: 1100, end: 5050, orientation: '33' });
    expect(junctionBetween(seg(1, 700, 760, false, 0, 60), seg(0, 2000, 2090, false, 60, 150), 0)).toMatchObject({ kind: 'BND', start: 2000, orientation: '-+', mateRef: 1, matePos: 760 });
  });
  test('parts too close to be an SV give no junction', () => {
    expect(junctionBetween(seg(0, 1000, 1080, false, 0, 80), seg(0, 1090, 1160, false, 80, 150), 0)).toBeNull();
  });
});

describe('SA tags', () => {
  test('entries parse to segments in read orientation; low-quality and malformed ones are skipped', () => {
    const contigs = new Map([['1', 0], ['20', 1]]);
    const parts = saSegments('20,1001,-,100S50M,30,0;1,5,+,20M,3,0;20,9,+,xx,60,0;', contigs);
    expect(parts).toEqual([{ ref: 1, start: 1000, end: 1050, reverse: true, qStart: 0, qEnd: 50, mapq: 30, nm: 0 }]);
    expect(parseCigar('10S5M2D3I')).toHaveLength(4);
    expect(parseCigar('10S5Q')).toBeNull();
  });
});

describe('clustering junctions', () => {
  test('junctions within 20 bp are one, at the most common position; a single read is not enough', () => {
    const j = (start: number, end: number): Junction => ({ kind: 'DEL', start, end, size: end - start, homology: 0, orientation: '', mateRef: -1, matePos: -1, source: 'split', mapq: 60, nm: 0, forward: true });
    const clusters = clusterJunctions([j(1000, 1200), j(1002, 1202), j(1000, 1200), j(5000, 5300)]);
    expect(clusters).toEqual([expect.objectContaining({ start: 1000, end: 1200, reads: 3 })]);
  });
});

describe('insertion assembly from clipped reads', () => {
  // A haplotype: left flank + inserted sequence + right flank (random but fixed bases).
  const rand = (n: number, seed: number) => {
    let x = seed;
    let s = '';
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s += 'ACGT'[(x >> 16) & 3];
    }
    return s;
  };
  const FL = rand(60, 1);
  const FR = rand(60, 2);
  function reads(ins: string, clipLength: number) {
    const alt = FL + ins + FR;
    const at = FL.length;
    // Right-clipped reads: 40 aligned bases of FL, then `clipLength` clipped; left-clipped: the mirror image.
    const tails = [0, 3, 7].map((k) => alt.slice(at, at + clipLength - k));
    const heads = [0, 5, 9].map((k) => alt.slice(at + ins.length - (clipLength - k), at + ins.length));
    return { tails, heads, leftFlanks: [FL.slice(-40), FL.slice(-35), FL.slice(-40)], rightFlanks: [FR.slice(0, 40), FR.slice(0, 38), FR.slice(0, 40)] };
  }
  test('an insertion shorter than the two clips together is measured exactly', () => {
    const ins = rand(150, 3);
    const r = reads(ins, 100);
    const a = assembleInsertion(r.tails, r.heads, r.leftFlanks, r.rightFlanks);
    expect(a).toMatchObject({ complete: true, length: 150, sequence: ins });
  });
  test('an insertion shorter than one clip is measured against the flank', () => {
    const ins = rand(60, 4);
    const alt = FL + ins + FR;
    const tails = [alt.slice(60, 160), alt.slice(60, 150)];
    const heads = [alt.slice(0, 120), alt.slice(10, 120)];
    const a = assembleInsertion(tails, heads, [FL.slice(-40), FL.slice(-40)], [FR.slice(0, 40), FR.slice(0, 40)]);
    expect(a).toMatchObject({ complete: true, length: 60 });
  });
  test('unmapped mates extend the clipped ends until they meet: a long insertion is then measured exactly', () => {
    const ins = rand(500, 6);
    const r = reads(ins, 100);
    // Reads from inside the insertion (as the unmapped mates of reads beside it are), 150 bp every 20 bp.
    const inner: string[] = [];
    for (let k = 0; k + 150 <= ins.length; k += 20) inner.push(ins.slice(k, k + 150), ins.slice(k, k + 150));
    const T = extendRight(ins.slice(0, 100), inner);
    expect(ins.startsWith(T)).toBe(true);
    expect(T.length).toBeGreaterThan(400);
    const H = reverseComplement(extendRight(reverseComplement(ins.slice(-100)), inner.map(reverseComplement)));
    expect(ins.endsWith(H)).toBe(true);
    expect(assembleInsertion(r.tails, r.heads, r.leftFlanks, r.rightFlanks).complete).toBe(false);
  });

  test('sparse mates, one deep, some starting in the flank, still extend a contig: as beside a heterozygous insertion', () => {
    const ins = rand(700, 8);
    const alt = FL + ins;
    // one read every 110 bp, the first starting 11 bp inside the left flank; each shares >= 25 bp with the next
    const mates = [alt.slice(49, 199), alt.slice(160, 310), alt.slice(280, 430), alt.slice(400, 550), alt.slice(520, 670), alt.slice(610, 760)];
    const T = extendRight(ins.slice(0, 80), mates);
    expect(T).toBe(ins);
    // an unrelated read (another locus's unmapped mate) is not joined
    expect(extendRight(ins.slice(0, 80), [rand(150, 9)])).toBe(ins.slice(0, 80));
  });

  test('reads that disagree at a base without a majority end the extension there', () => {
    const ins = rand(300, 10);
    const a = ins.slice(50, 200);
    const b = ins.slice(50, 120) + (ins[120] === 'A' ? 'C' : 'A') + ins.slice(121, 200);
    expect(extendRight(ins.slice(0, 100), [a, b])).toBe(ins.slice(0, 120));
    // a third read settles it
    expect(extendRight(ins.slice(0, 100), [a, b, ins.slice(60, 210)])).toBe(ins.slice(0, 210));
  });

  test('an insertion longer than the clips can bridge gives a lower bound, never an exact length', () => {
    const ins = rand(600, 5);
    const r = reads(ins, 100);
    const a = assembleInsertion(r.tails, r.heads, r.leftFlanks, r.rightFlanks);
    expect(a.complete).toBe(false);
    expect(a.length).toBeLessThan(600);
  });
});
