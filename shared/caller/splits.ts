/**
 * SV evidence inside the reads themselves, for precise breakpoints and for
 * the events read pairs cannot see (small deletions and duplications,
 * insertions):
 *
 * - split reads: a primary alignment whose SA tag places another part of the
 *   read elsewhere. Consecutive parts (in read order) make one junction:
 *     same contig, same strand, the read jumps forward     DEL (or INS when the
 *                                                          read has unaligned bases between)
 *     same contig, same strand, the read jumps back        tandem DUP
 *     same contig, opposite strands                        INV (one junction of it)
 *     another contig                                       BND (one side; a supplementary
 *                                                          record here whose primary lies on
 *                                                          another contig counts too)
 * - long CIGAR indels (>= 30 bp D or I) inside one alignment;
 * - soft-clip sites: positions where >= 2 reads end (right clip) or start
 *   (left clip) with >= 10 unaligned bases. A right-clip site and a
 *   left-clip site facing each other at one position, with no split read
 *   explaining them, is an insertion: the clipped tails and heads are
 *   assembled (with the reads' flanks) to measure the inserted sequence.
 *
 * Clip sites are kept in a sliding window (reads arrive in coordinate order),
 * so memory grows with the number of sites, not with the reads.
 */
import { CIGAR_OP } from '../bam/recordCursor';
import { FLAG } from '../bam/record';
import type { LibraryStats } from '../contracts';
import { SpanCoverage } from './depth';
import { InsertionSizer, type InsertionSizeEstimate } from './insertionSize';
import type { AlignedReadView, ReadView } from './types';
import { mode, upperMedian } from '../stats';

/** Reads below this mapping quality give no evidence (as for pairs). */
export const MIN_SPLIT_MAPQ = 20;
/** Supplementary parts (SA entries) below this mapping quality are ignored. */
const MIN_SA_MAPQ = 10;
/** A soft clip this long marks a clip site. */
export const MIN_CLIP = 10;
/** CIGAR indels this long are SV evidence (events from 50 bp are reported; 30 leaves room for noise in size). */
const MIN_INDEL = 30;
/** Junctions whose ends are this close (bp) are the same junction. */
const JUNCTION_TOLERANCE = 20;
/** Reads a junction or a clip site needs to be kept. */
const MIN_READS = 2;
/** Reads spanning a position count as reference support only with this many aligned bases on each side. */
export const SPAN_MARGIN = 20;
/** Flank kept beside each clip (bp of aligned read sequence). */
const FLANK_KEPT = 40;
/** A right-clip site and a left-clip site this close face each other (bp). */
export const FACING_SITES = 15;
/** Right clips end at most this far past their read's start (longer alignments are rare): the window's lag. */
const WINDOW_LAG = 2_000;

export type JunctionKind = 'DEL' | 'DUP' | 'INS' | 'INV' | 'BND';

/** One read's junction, or a cluster of them. Positions 0-based; for INS `end === start`. */
export interface Junction {
  kind: JunctionKind;
  start: number;
  end: number;
  /** Inserted bases (INS) or the event length (DEL/DUP/INV); BND 0. */
  size: number;
  /** Bases of microhomology at the junction (breakpoint uncertainty). */
  homology: number;
  /** INV: '33' joins two right ends (left junction), '55' two left ends. BND: the strands, local then mate. */
  orientation: string;
  /** BND: mate contig index and position. */
  mateRef: number;
  matePos: number;
  source: 'split' | 'cigar';
  /** The read's: the lower mapping quality of its two parts, the other part's edit distance, its strand. */
  mapq: number;
  nm: number;
  forward: boolean;
}

/**
 * A split read whose other part was placed with mapping quality under
 * MIN_SA_MAPQ (a repeat): the junction's far end is uncertain, but where this
 * read's own, uniquely placed part is clipped (`anchor`) is a breakpoint. It
 * never makes an event on its own; it can anchor one end of a pair call whose
 * two ends it joins (caller.ts, `anchorPairCalls`).
 */
export interface WeakJunction extends Junction {
  anchor: number;
}

export interface JunctionCluster extends Junction {
  reads: number;
  /** Means over the cluster's reads (mapq, nm) and the fraction of them on the forward strand. */
  meanMapq: number;
  meanNm: number;
  forwardFraction: number;
}

/** A position where clipped reads pile up. */
export interface ClipSite {
  pos: number;
  /** 'R': reads aligned up to `pos`, clipped after it; 'L': aligned from `pos`, clipped before it. */
  side: 'R' | 'L';
  reads: number;
  /** Clipped bases, read orientation on the reference strand (R: starting at pos; L: ending at pos). */
  clips: string[];
  /** Aligned bases next to the clip (R: ending at pos; L: starting at pos). */
  flanks: string[];
  /** Sum and count of the clipped bases' qualities, and reads on the forward strand. */
  qualitySum: number;
  qualityCount: number;
  forward: number;
}

interface Segment {
  ref: number;
  start: number;
  end: number;
  reverse: boolean;
  /** Query interval in the original read orientation. */
  qStart: number;
  qEnd: number;
  /** Mapping quality and edit distance (NM) of the part; -1 when unknown. */
  mapq?: number;
  nm?: number;
}

/** One CIGAR walk: clips, aligned query length, reference length. */
interface CigarSummary {
  lead: number;
  trail: number;
  aligned: number;
  refLength: number;
}

function summarizeOps(count: number, op: (i: number) => number): CigarSummary {
  let lead = 0;
  let trail = 0;
  let aligned = 0;
  let refLength = 0;
  let seenAligned = false;
  for (let i = 0; i < count; i++) {
    const o = op(i);
    const len = o >>> 4;
    switch (o & 0xf) {
      case CIGAR_OP.S:
      case CIGAR_OP.H:
        if (seenAligned) trail += len;
        else lead += len;
        break;
      case CIGAR_OP.M:
      case CIGAR_OP.EQ:
      case CIGAR_OP.X:
        seenAligned = true;
        aligned += len;
        refLength += len;
        break;
      case CIGAR_OP.I:
        seenAligned = true;
        aligned += len;
        break;
      case CIGAR_OP.D:
      case CIGAR_OP.N:
        seenAligned = true;
        refLength += len;
        break;
      default:
        break;
    }
  }
  return { lead, trail, aligned, refLength };
}

const CIGAR_CODES: Record<string, number> = { M: 0, I: 1, D: 2, N: 3, S: 4, H: 5, P: 6, '=': 7, X: 8 };

/** Packed ops of a CIGAR string (as in an SA entry); null when malformed. */
export function parseCigar(text: string): number[] | null {
  const ops: number[] = [];
  const re = /(\d+)([MIDNSHP=X])/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(text)) !== null) {
    ops.push((Number(m[1]) << 4) | CIGAR_CODES[m[2]!]!);
    consumed = re.lastIndex;
  }
  return consumed === text.length && ops.length > 0 ? ops : null;
}

function segmentOf(ref: number, start: number, reverse: boolean, s: CigarSummary): Segment {
  const clipBefore = reverse ? s.trail : s.lead;
  return { ref, start, end: start + s.refLength, reverse, qStart: clipBefore, qEnd: clipBefore + s.aligned };
}

/**
 * The SA entries of a record as segments (contig names resolved through
 * `contigIndex`), leaving out low-quality and unparsable ones.
 */
export function saSegments(sa: string, contigIndex: ReadonlyMap<string, number>, minMapq = MIN_SA_MAPQ): Segment[] {
  const out: Segment[] = [];
  for (const entry of sa.split(';')) {
    if (!entry) continue;
    const [rname, pos, strand, cigar, mapq, nm] = entry.split(',');
    const ref = rname === undefined ? undefined : contigIndex.get(rname);
    const ops = cigar === undefined ? null : parseCigar(cigar);
    if (ref === undefined || ops === null || !(Number(mapq) >= minMapq)) continue;
    const start = Number(pos) - 1;
    if (!Number.isInteger(start) || start < 0 || (strand !== '+' && strand !== '-')) continue;
    out.push({ ...segmentOf(ref, start, strand === '-', summarizeOps(ops.length, (i) => ops[i]!)), mapq: Number(mapq), nm: Number(nm) || 0 });
  }
  return out;
}

/** Where a read leaves a part it reads through before a junction (its right end on the forward strand). */
const leavesAt = (part: Segment) => (part.reverse ? part.start : part.end);
/** Where a read enters a part it reads into after a junction (its left end on the forward strand). */
const entersAt = (part: Segment) => (part.reverse ? part.end : part.start);

/**
 * The junction between two consecutive parts of one read (`a` before `b` in
 * read order), or null when the parts overlap too much to say. `local` is the
 * contig of this activity: a BND is reported from its local side.
 */
export function junctionBetween(a: Segment, b: Segment, local: number): Junction | null {
  const qgap = b.qStart - a.qEnd;
  const homology = Math.max(0, -qgap);
  const inserted = Math.max(0, qgap);
  const base = { homology, orientation: '', mateRef: -1, matePos: -1, source: 'split' as const, mapq: Math.min(a.mapq ?? 60, b.mapq ?? 60), nm: (a.nm ?? 0) + (b.nm ?? 0), forward: !a.reverse };
  // Where the read leaves `a` and enters `b`, and on which side of each part.
  const aRight = !a.reverse;
  const posA = leavesAt(a);
  const bLeft = !b.reverse;
  const posB = entersAt(b);
  if (a.ref !== b.ref) {
    if (a.ref !== local && b.ref !== local) return null;
    const [near, far] = a.ref === local ? [{ pos: posA, right: aRight }, { pos: posB, right: !bLeft, ref: b.ref }] : [{ pos: posB, right: !bLeft }, { pos: posA, right: aRight, ref: a.ref }];
    if (far.ref === local) return null;
    // With microhomology the junction may lie up to `homology` bases short of where the parts end:
    // report the leftmost position (CIPOS then spans [0, homology]).
    const start = near.right ? near.pos - homology : near.pos;
    return {
      ...base,
      kind: 'BND',
      start,
      end: start + 1,
      size: 0,
      orientation: `${near.right ? '+' : '-'}${far.right ? '+' : '-'}`,
      mateRef: far.ref,
      matePos: far.right ? far.pos - homology : far.pos,
    };
  }
  if (a.reverse !== b.reverse) {
    const lo = Math.min(posA, posB);
    const hi = Math.max(posA, posB);
    if (hi - lo < MIN_INDEL) return null;
    return { ...base, kind: 'INV', start: lo, end: hi, size: hi - lo, orientation: aRight ? '33' : '55' };
  }
  // Same strand: read the junction on the forward strand (a reverse read, reversed, swaps the parts).
  const left = a.reverse ? b.end : a.end;
  const right = a.reverse ? a.start : b.start;
  const refGap = right - left;
  if (refGap > 0 || (refGap >= -homology && inserted > 0)) {
    const start = left - homology;
    const deleted = right - start;
    if (deleted - inserted >= MIN_INDEL) return { ...base, kind: 'DEL', start, end: right, size: deleted };
    if (inserted - Math.max(0, refGap) >= MIN_INDEL) {
      return { ...base, kind: 'INS', start: left, end: left, size: inserted - Math.max(0, refGap) };
    }
    return null;
  }
  const dup = -refGap - homology;
  if (dup < MIN_INDEL) return null;
  return { ...base, kind: 'DUP', start: right, end: right + dup, size: dup };
}

/** The votes of one column of strings aligned at their start: the most common base (first seen on ties), its count, and the bases (N left out). */
function columnVote(seqs: readonly string[], i: number): { best: string; bestCount: number; depth: number } {
  const counts = new Map<string, number>();
  let depth = 0;
  for (const s of seqs) {
    const c = s[i];
    if (c === undefined || c === 'N') continue;
    depth++;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = 'N';
  let bestCount = 0;
  for (const [c, n] of counts) if (n > bestCount) [best, bestCount] = [c, n];
  return { best, bestCount, depth };
}

/** Per-column majority of strings aligned at their start (or at their end), over columns with >= 2 reads. */
export function consensus(seqs: string[], alignEnd = false): string {
  const list = alignEnd ? seqs.map((s) => [...s].reverse().join('')) : seqs;
  const longest = Math.max(0, ...list.map((s) => s.length));
  let out = '';
  for (let i = 0; i < longest; i++) {
    const { best, depth } = columnVote(list, i);
    if (depth < MIN_READS) break;
    out += best;
  }
  return alignEnd ? [...out].reverse().join('') : out;
}

export interface InsertionAssembly {
  /** Length of the inserted sequence; a lower bound when `complete` is false. */
  length: number;
  complete: boolean;
  /** The inserted sequence when complete. */
  sequence: string | null;
  /** Bases compared, and how many disagreed, at the chosen length. */
  compared: number;
  mismatches: number;
}

/** Bases of agreement needed to accept an insertion length. */
const MIN_COMPARED = 20;
/** Disagreement allowed over the compared bases (sequencing errors). */
const MAX_MISMATCH_RATE = 0.1;

/**
 * The inserted sequence between a right-clip site and a left-clip site at
 * one position. The alternative haplotype there is FL + S + FR, where FL is
 * the left flank (the aligned ends of the right-clipped reads), FR the right
 * flank (the aligned starts of the left-clipped reads) and S the insertion.
 * The right clips' consensus T starts S; the left clips' consensus H ends it.
 * Each length M of S places T and H on the haplotype; the M whose overlaps
 * (T with H, T with FR, H with FL) agree best is the insertion's length.
 * When no M up to |T| + |H| - 20 agrees, S is longer than the clips can
 * bridge and |T| + |H| is returned as a lower bound.
 */
export function assembleInsertion(tails: string[], heads: string[], leftFlanks: string[], rightFlanks: string[]): InsertionAssembly {
  return assembleFromConsensus(consensus(tails), consensus(heads, true), consensus(leftFlanks, true), consensus(rightFlanks));
}

/** assembleInsertion on consensus sequences: T starts the insertion, H ends it, FL and FR are the flanks. */
export function assembleFromConsensus(T: string, H: string, FL: string, FR: string): InsertionAssembly {
  let best: { m: number; score: number; compared: number; mismatches: number } | null = null;
  const maxM = T.length + H.length - MIN_COMPARED;
  for (let m = 1; m <= maxM; m++) {
    let compared = 0;
    let mismatches = 0;
    // Haplotype index 0 is the first inserted base; H covers [m - |H|, m).
    const hFrom = m - H.length;
    for (let i = Math.max(0, hFrom); i < Math.min(T.length, m); i++) {
      compared++;
      if (T[i] !== H[i - hFrom]) mismatches++;
    }
    for (let i = m; i < Math.min(T.length, m + FR.length); i++) {
      compared++;
      if (T[i] !== FR[i - m]) mismatches++;
    }
    for (let i = Math.max(hFrom, -FL.length); i < Math.min(0, m); i++) {
      compared++;
      if (H[i - hFrom] !== FL[FL.length + i]) mismatches++;
    }
    if (compared < MIN_COMPARED || mismatches > MAX_MISMATCH_RATE * compared) continue;
    const score = compared - 5 * mismatches;
    if (!best || score > best.score) best = { m, score, compared, mismatches };
  }
  if (!best) return { length: T.length + H.length, complete: false, sequence: null, compared: 0, mismatches: 0 };
  const m = best.m;
  const sequence = m <= T.length ? T.slice(0, m) : T + H.slice(H.length - (m - T.length));
  return { length: m, complete: true, sequence, compared: best.compared, mismatches: best.mismatches };
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };

export function reverseComplement(seq: string): string {
  let out = '';
  for (let i = seq.length - 1; i >= 0; i--) out += COMPLEMENT[seq[i]!] ?? 'N';
  return out;
}

/** Bases a read must share with the contig to extend it, and the mismatches allowed in them (at least 2, else 4 %). */
const EXTEND_OVERLAP = 25;
const EXTEND_MISMATCHES = 2;
const EXTEND_MISMATCH_RATE = 0.04;
const SEED_LENGTH = 16;
/** Contigs are not extended past this length (bp): beyond it an insertion is reported as "at least". */
const MAX_CONTIG = 3_000;

/**
 * Extends `contig` to the right with reads that overlap it (>= 25 bp, at
 * most 2 mismatches or 4 % of the overlap) and reach past its end, until
 * nothing extends it. A read may start before the contig (a mate that
 * begins in the flank, or before a clip consensus starts): only the bases
 * it shares with the contig are compared. Each round appends the
 * column-majority consensus of the reads' overhangs; one read is enough
 * (the unmapped mates beside a heterozygous insertion cover it only 3-5
 * deep), and a column where the reads disagree without a majority ends the
 * extension. The reads are the unmapped mates of reads anchored beside an
 * insertion, as the inserted sequence reads forward.
 */
export function extendRight(contig: string, reads: readonly string[]): string {
  let c = contig;
  const used = new Set<number>();
  for (let round = 0; round < 200 && c.length < MAX_CONTIG; round++) {
    // Seeds: every 16-mer of the contig's last 150 bases.
    const from = Math.max(0, c.length - 150);
    const seeds = new Map<string, number[]>();
    for (let i = from; i + SEED_LENGTH <= c.length; i++) {
      const k = c.slice(i, i + SEED_LENGTH);
      const list = seeds.get(k);
      if (list) list.push(i);
      else seeds.set(k, [i]);
    }
    const overhangs: string[] = [];
    reads.forEach((r, idx) => {
      if (used.has(idx)) return;
      for (let q = 0; q + SEED_LENGTH <= r.length; q += 4) {
        const hits = seeds.get(r.slice(q, q + SEED_LENGTH));
        if (!hits) continue;
        for (const h of hits) {
          const offset = h - q; // where the read starts on the contig (negative: before it)
          const first = Math.max(0, -offset);
          const overlap = c.length - offset - first;
          if (overlap < EXTEND_OVERLAP || offset + r.length <= c.length) continue;
          const allowed = Math.max(EXTEND_MISMATCHES, Math.floor(EXTEND_MISMATCH_RATE * overlap));
          let mismatches = 0;
          for (let i = first; i < first + overlap && mismatches <= allowed; i++) if (r[i] !== c[offset + i]) mismatches++;
          if (mismatches > allowed) continue;
          overhangs.push(r.slice(c.length - offset));
          used.add(idx);
          return;
        }
      }
    });
    const extension = majority(overhangs);
    if (extension.length === 0) break;
    c += extension;
  }
  return c;
}

/** Column-majority of sequences aligned at their start, down to one sequence; stops at a column without a strict majority. */
function majority(seqs: readonly string[]): string {
  let out = '';
  for (let i = 0; ; i++) {
    const { best, bestCount, depth } = columnVote(seqs, i);
    if (depth === 0 || (depth > 1 && 2 * bestCount <= depth)) return out;
    out += best;
  }
}

/** A settled clip site and its rank among the settled sites. */
interface RankedSite {
  site: ClipSite;
  rank: number;
}

/** Collects split-read, CIGAR-indel and clip-site evidence from one work unit's reads. */
export class ReadEvidence {
  readonly junctions: Junction[] = [];
  /** Same-contig junctions whose other part mapped ambiguously (see WeakJunction), in scan order. */
  readonly weakJunctions: WeakJunction[] = [];
  /** Clip sites with >= MIN_READS reads, in no particular order. */
  readonly sites: ClipSite[] = [];
  /** Reads spanning each 10 bp bin with SPAN_MARGIN on both sides (reference support). */
  private readonly span: SpanCoverage;
  readonly stats = { splitReads: 0, indelReads: 0, clippedReads: 0, clipSites: 0, weakJunctions: 0 };
  private readonly open = new Map<number, { R?: ClipSite; L?: ClipSite }>();
  /** The settled sites by position, with their rank in `sites`: lookups near a position without scanning them all. */
  private readonly settledAt = new Map<number, { R?: RankedSite; L?: RankedSite }>();
  private flushedTo: number;
  private readonly contigIndex: Map<string, number>;

  /**
   * Recent forward reads of pairs (and every reverse read whose mate is
   * unmapped), the evidence that sizes long insertions once their clip sites
   * settle: parallel arrays, trimmed as the scan moves on.
   */
  private readonly ring = { start: [] as number[], end: [] as number[], tlen: [] as number[], flags: [] as number[], sameRef: [] as boolean[] };
  private readonly reverseUnmapped: { start: number; end: number; flags: number }[] = [];
  /** Pair-based length estimates of clip-site insertions too long to assemble, by right-clip position. */
  readonly insertionEstimates = new Map<number, InsertionSizeEstimate>();
  /** Assemblies of such insertions with the unmapped mates of the reads beside them, by right-clip position. */
  readonly insertionAssemblies = new Map<number, InsertionAssembly>();
  /** Unmapped reads placed beside their mapped mates: their sequence as it lies on the inserted haplotype. */
  private readonly unmappedMates: { pos: number; seq: string }[] = [];

  constructor(
    private readonly local: number,
    private readonly from: number,
    private readonly to: number,
    contigNames: readonly string[],
    private readonly library: LibraryStats | null = null,
    readonly spanBin = 10,
  ) {
    this.span = new SpanCoverage(from, to, spanBin);
    this.flushedTo = from;
    this.contigIndex = new Map(contigNames.map((n, i) => [n, i]));
  }

  observe(r: AlignedReadView): void {
    const flags = r.flags;
    if (flags & FLAG.unmapped && flags & FLAG.paired && !(flags & (FLAG.mateUnmapped | FLAG.secondary | FLAG.qcFail | FLAG.duplicate)) && r.seqLength > 0) {
      this.rememberUnmappedMate(r);
      return;
    }
    if (flags & (FLAG.unmapped | FLAG.secondary | FLAG.qcFail | FLAG.duplicate) || r.mapq < MIN_SPLIT_MAPQ) return;
    if (r.start - this.flushedTo > WINDOW_LAG * 2) this.flush(r.start - WINDOW_LAG);
    const supplementary = (flags & FLAG.supplementary) !== 0;
    if (!supplementary && flags & FLAG.paired) this.remember(r);
    const nOps = r.cigarLength;
    if (nOps <= 1) {
      if (!supplementary) this.addSpan(r.start, r.end);
      return;
    }
    const summary = summarizeOps(nOps, (i) => r.cigarOp(i));
    if (supplementary) {
      // Only for breakends whose primary part is on another contig (that side's activity sees the rest).
      if (summary.lead + summary.trail >= MIN_CLIP) this.splitJunctions(r, summary, true);
      return;
    }
    const hasIndel = this.indels(r, nOps);
    const clipped = summary.lead >= MIN_CLIP || summary.trail >= MIN_CLIP;
    if (!clipped) {
      // A read carrying a long indel supports the variant, not the reference.
      if (!hasIndel) this.addSpan(r.start, r.end);
      return;
    }
    this.stats.clippedReads++;
    this.splitJunctions(r, summary, false);
    if (r.seqLength === 0) return;
    const seq = r.sequence();
    // Soft clips only: hard-clipped bases are not in SEQ.
    const softLead = (r.cigarOp(0) & 0xf) === CIGAR_OP.S ? r.cigarOp(0) >>> 4 : 0;
    const lastOp = r.cigarOp(nOps - 1);
    const softTrail = (lastOp & 0xf) === CIGAR_OP.S ? lastOp >>> 4 : 0;
    const qual = r.qualities();
    const forward = !(r.flags & FLAG.reverse);
    const qualityOf = (from: number, to: number): [number, number] => {
      let sum = 0;
      for (let i = from; i < to; i++) sum += qual[i] === 0xff ? 0 : qual[i]!;
      return qual[from] === 0xff ? [0, 0] : [sum, to - from];
    };
    if (softTrail >= MIN_CLIP) {
      const at = seq.length - softTrail;
      this.addClip(r.end, 'R', seq.slice(at), seq.slice(Math.max(softLead, at - FLANK_KEPT), at), qualityOf(at, seq.length), forward);
    }
    if (softLead >= MIN_CLIP) {
      this.addClip(r.start, 'L', seq.slice(0, softLead), seq.slice(softLead, Math.min(seq.length - softTrail, softLead + FLANK_KEPT)), qualityOf(0, softLead), forward);
    }
  }

  /** Ends the scan: the remaining clip sites are settled. */
  finish(): void {
    this.flush(Number.POSITIVE_INFINITY);
    this.span.finish();
  }

  /** Reads spanning `pos` with SPAN_MARGIN aligned bases on each side (after finish()). */
  spanning(pos: number): number {
    return this.span.spanning(pos);
  }

  /** The settled clip sites of one side (or both) within `tolerance` of `pos`, in the order they settled. */
  sitesNear(pos: number, tolerance = 5, side?: 'R' | 'L'): ClipSite[] {
    const found: RankedSite[] = [];
    for (let p = pos - tolerance; p <= pos + tolerance; p++) {
      const at = this.settledAt.get(p);
      if (!at) continue;
      if (at.R && side !== 'L') found.push(at.R);
      if (at.L && side !== 'R') found.push(at.L);
    }
    return found.sort((a, b) => a.rank - b.rank).map((r) => r.site);
  }

  /** Reads in the clip sites of one side within `tolerance` of `pos`. */
  clipReads(pos: number, side: 'R' | 'L', tolerance = 5): number {
    return this.sitesNear(pos, tolerance, side).reduce((n, s) => n + s.reads, 0);
  }

  private addSpan(start: number, end: number): void {
    this.span.add(start + SPAN_MARGIN, end - SPAN_MARGIN);
  }

  private indels(r: AlignedReadView, nOps: number): boolean {
    let pos = r.start;
    let found = false;
    for (let i = 0; i < nOps; i++) {
      const o = r.cigarOp(i);
      const len = o >>> 4;
      const code = o & 0xf;
      if (code === CIGAR_OP.D && len >= MIN_INDEL) {
        this.junctions.push({ kind: 'DEL', start: pos, end: pos + len, size: len, homology: 0, orientation: '', mateRef: -1, matePos: -1, source: 'cigar', mapq: r.mapq, nm: 0, forward: !(r.flags & FLAG.reverse) });
        found = true;
      } else if (code === CIGAR_OP.I && len >= MIN_INDEL) {
        this.junctions.push({ kind: 'INS', start: pos, end: pos, size: len, homology: 0, orientation: '', mateRef: -1, matePos: -1, source: 'cigar', mapq: r.mapq, nm: 0, forward: !(r.flags & FLAG.reverse) });
        found = true;
      }
      if (code === CIGAR_OP.M || code === CIGAR_OP.D || code === CIGAR_OP.N || code === CIGAR_OP.EQ || code === CIGAR_OP.X) pos += len;
    }
    if (found) this.stats.indelReads++;
    return found;
  }

  private splitJunctions(r: AlignedReadView, summary: CigarSummary, supplementary: boolean): void {
    const sa = r.sa;
    if (!sa) return;
    // Ambiguously placed parts are read too (primaries only), for weak junctions.
    const all = saSegments(sa, this.contigIndex, supplementary ? MIN_SA_MAPQ : 0);
    const others = all.filter((s) => s.mapq! >= MIN_SA_MAPQ);
    // A supplementary record's first SA entry is its primary: count it here only when that lies on another contig.
    if (supplementary && (others.length === 0 || others[0]!.ref === this.local || others[0]!.ref === r.ref_id)) return;
    const self: Segment = { ...segmentOf(r.ref_id, r.start, (r.flags & FLAG.reverse) !== 0, summary), mapq: r.mapq, nm: 0 };
    let added = false;
    for (const [a, b] of this.adjacentToSelf(self, others)) {
      const j = junctionBetween(a, b, this.local);
      if (!j) continue;
      if (supplementary && j.kind !== 'BND') continue;
      this.junctions.push(j);
      added = true;
    }
    if (added) this.stats.splitReads++;
    if (all.length === others.length) return;
    for (const [a, b] of this.adjacentToSelf(self, all)) {
      if ((a === self ? b : a).mapq! >= MIN_SA_MAPQ) continue;
      const j = junctionBetween(a, b, this.local);
      if (!j || (j.kind !== 'DEL' && j.kind !== 'DUP' && j.kind !== 'INV')) continue;
      // Where this read leaves (or enters) its own part.
      this.weakJunctions.push({ ...j, anchor: a === self ? leavesAt(a) : entersAt(b) });
      this.stats.weakJunctions++;
    }
  }

  /** Consecutive parts of a read (in read order) of which one is `self`. */
  private adjacentToSelf(self: Segment, others: Segment[]): [Segment, Segment][] {
    const parts = [self, ...others].sort((x, y) => x.qStart - y.qStart);
    const out: [Segment, Segment][] = [];
    for (let i = 1; i < parts.length; i++) if (parts[i - 1] === self || parts[i] === self) out.push([parts[i - 1]!, parts[i]!]);
    return out;
  }

  private addClip(pos: number, side: 'R' | 'L', clip: string, flank: string, quality: [number, number], forward: boolean): void {
    let entry = this.open.get(pos);
    if (!entry) {
      entry = {};
      this.open.set(pos, entry);
    }
    let site = entry[side];
    if (!site) {
      site = { pos, side, reads: 0, clips: [], flanks: [], qualitySum: 0, qualityCount: 0, forward: 0 };
      entry[side] = site;
    }
    site.reads++;
    site.clips.push(clip);
    site.flanks.push(flank);
    site.qualitySum += quality[0];
    site.qualityCount += quality[1];
    if (forward) site.forward++;
  }

  /**
   * An unmapped read placed at its mapped mate's position. If the mate is a
   * forward read left of an insertion, this read comes from the insertion's
   * reverse strand: its sequence there is the reverse complement of what was
   * sequenced; beside a reverse mate it reads forward.
   */
  private rememberUnmappedMate(r: AlignedReadView): void {
    const sequenced = r.flags & FLAG.reverse ? reverseComplement(r.sequence()) : r.sequence();
    const leftAnchor = !(r.flags & FLAG.mateReverse);
    this.unmappedMates.push({ pos: r.start, seq: leftAnchor ? reverseComplement(sequenced) : sequenced });
  }

  /** Keeps what sizing a long insertion needs of a paired primary read. */
  private remember(r: ReadView): void {
    if (r.flags & FLAG.reverse) {
      if (r.flags & FLAG.mateUnmapped) this.reverseUnmapped.push({ start: r.start, end: r.end, flags: r.flags });
      return;
    }
    const ring = this.ring;
    ring.start.push(r.start);
    ring.end.push(r.end);
    ring.tlen.push(r.tlen);
    ring.flags.push(r.flags);
    ring.sameRef.push(r.next_refid === r.ref_id);
  }

  /** Settles clip sites left of `before`: those with >= MIN_READS reads are kept, the rest dropped. */
  private flush(before: number): void {
    const settled: ClipSite[] = [];
    for (const [pos, entry] of this.open) {
      if (pos >= before) continue;
      for (const site of [entry.R, entry.L]) {
        if (site && site.reads >= MIN_READS) {
          const at = this.settledAt.get(pos) ?? {};
          at[site.side] = { site, rank: this.sites.length };
          this.settledAt.set(pos, at);
          this.sites.push(site);
          settled.push(site);
          this.stats.clipSites++;
        }
      }
      this.open.delete(pos);
    }
    for (const site of settled) if (site.side === 'R') this.sizeInsertion(site);
    this.trimRing(before - 3 * WINDOW_LAG);
    this.flushedTo = Number.isFinite(before) ? before : this.to;
  }

  /** The left-clip site facing a right-clip site (within FACING_SITES), settled or not, with the most reads. */
  facingSite(r: ClipSite): ClipSite | null {
    let best: ClipSite | null = null;
    const consider = (l: ClipSite | undefined) => {
      if (l && l.side === 'L' && l.reads >= MIN_READS && Math.abs(l.pos - r.pos) <= FACING_SITES && (!best || l.reads > best.reads)) best = l;
    };
    for (const l of this.sitesNear(r.pos, FACING_SITES, 'L')) consider(l);
    for (let p = r.pos - FACING_SITES; p <= r.pos + FACING_SITES; p++) consider(this.open.get(p)?.L);
    return best;
  }

  /**
   * A right-clip site with a facing left-clip site whose clips cannot be
   * assembled across is a long insertion: its length is estimated now, from
   * the pairs around it (insertionSize.ts), while they are still in memory.
   */
  private sizeInsertion(r: ClipSite): void {
    if (!this.library || this.library.insertSizeMedian <= 0) return;
    const l = this.facingSite(r);
    if (!l) return;
    const T = consensus(r.clips);
    const H = consensus(l.clips, true);
    const FL = consensus(r.flanks, true);
    const FR = consensus(l.flanks);
    let assembly = assembleFromConsensus(T, H, FL, FR);
    if (assembly.complete) return;
    // The insertion's ends, extended with the unmapped mates of the reads anchored beside it.
    const reach = this.library.insertSizeMedian + 4 * this.library.insertSizeSd;
    // Both anchors' mates come from the same inserted sequence: each end is extended with all of them.
    const mates = this.unmappedMates.filter((u) => u.pos >= r.pos - reach && u.pos < l.pos + reach).map((u) => u.seq);
    const T2 = extendRight(T, mates);
    const H2 = reverseComplement(extendRight(reverseComplement(H), mates.map(reverseComplement)));
    if (T2.length > T.length || H2.length > H.length) {
      assembly = assembleFromConsensus(T2, H2, FL, FR);
      this.insertionAssemblies.set(r.pos, assembly);
      if (assembly.complete) return;
    }
    // Zygosity: the clipped reads against the reads spanning the point (the forward half of them is in the ring).
    const ring = this.ring;
    let spanningForward = 0;
    for (let i = 0; i < ring.start.length; i++) if (ring.start[i]! <= r.pos - SPAN_MARGIN && ring.end[i]! >= r.pos + SPAN_MARGIN) spanningForward++;
    const alt = r.reads + l.reads;
    const homozygous = alt / (alt + 2 * spanningForward) > 0.75;
    const sizer = new InsertionSizer(r.pos, l.pos, assembly.length, homozygous ? 1 : 0.5, this.library);
    const [from, to] = sizer.region;
    for (let i = 0; i < ring.start.length; i++) {
      const start = ring.start[i]!;
      if (start < from || start >= to) continue;
      sizer.observe({ ref_id: this.local, start, end: ring.end[i]!, flags: ring.flags[i]!, mapq: MIN_SPLIT_MAPQ, next_refid: ring.sameRef[i] ? this.local : -1, next_pos: 0, tlen: ring.tlen[i]!, seqLength: 0 });
    }
    for (const u of this.reverseUnmapped) {
      if (u.start >= from && u.start < to) sizer.observe({ ref_id: this.local, start: u.start, end: u.end, flags: u.flags, mapq: MIN_SPLIT_MAPQ, next_refid: -1, next_pos: 0, tlen: 0, seqLength: 0 });
    }
    const estimate = sizer.estimate();
    if (estimate) this.insertionEstimates.set(r.pos, estimate);
  }

  /** Drops remembered reads that start before `before` (no insertion left to size needs them). */
  private trimRing(before: number): void {
    const ring = this.ring;
    let k = 0;
    while (k < ring.start.length && ring.start[k]! < before) k++;
    if (k === 0) return;
    for (const a of [ring.start, ring.end, ring.tlen, ring.flags] as number[][]) a.splice(0, k);
    ring.sameRef.splice(0, k);
    let u = 0;
    while (u < this.reverseUnmapped.length && this.reverseUnmapped[u]!.start < before) u++;
    if (u > 0) this.reverseUnmapped.splice(0, u);
    let m = 0;
    while (m < this.unmappedMates.length && this.unmappedMates[m]!.pos < before) m++;
    if (m > 0) this.unmappedMates.splice(0, m);
  }
}

/**
 * Groups junctions of one kind (and orientation / mate contig) whose starts
 * and ends lie within JUNCTION_TOLERANCE of the cluster's first junction
 * (INS: and whose sizes agree within 20 %). The cluster takes the most common
 * start and end, and the median size.
 */
export function clusterJunctions(junctions: Junction[], minReads = MIN_READS): JunctionCluster[] {
  const groups = new Map<string, Junction[]>();
  for (const j of junctions) {
    const key = `${j.kind}:${j.orientation}:${j.mateRef}`;
    const g = groups.get(key);
    if (g) g.push(j);
    else groups.set(key, [j]);
  }
  const out: JunctionCluster[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.start - b.start || a.end - b.end);
    const open: Junction[][] = [];
    for (const j of group) {
      const far = (c: Junction[]) => j.start - c[0]!.start > JUNCTION_TOLERANCE;
      while (open.length && far(open[0]!)) {
        const done = open.shift()!;
        if (done.length >= minReads) out.push(summarize(done));
      }
      const home = open.find((c) => {
        const f = c[0]!;
        if (j.kind === 'BND') return Math.abs(j.matePos - f.matePos) <= JUNCTION_TOLERANCE;
        if (j.kind === 'INS') return Math.min(j.size, f.size) / Math.max(j.size, f.size) >= 0.8;
        return Math.abs(j.end - f.end) <= JUNCTION_TOLERANCE;
      });
      if (home) home.push(j);
      else open.push([j]);
    }
    for (const c of open) if (c.length >= minReads) out.push(summarize(c));
  }
  return out.sort((a, b) => a.start - b.start);
}

function summarize(c: Junction[]): JunctionCluster {
  const first = c[0]!;
  const start = mode(c.map((j) => j.start));
  const size = upperMedian(c.map((j) => j.size));
  const end = first.kind === 'INS' ? start : first.kind === 'BND' ? start + 1 : mode(c.map((j) => j.end));
  return {
    ...first,
    start,
    end,
    size: first.kind === 'INS' || first.kind === 'BND' ? size : end - start,
    homology: Math.max(...c.map((j) => j.homology)),
    matePos: first.kind === 'BND' ? mode(c.map((j) => j.matePos)) : -1,
    source: c.some((j) => j.source === 'split') ? 'split' : 'cigar',
    reads: c.length,
    meanMapq: c.reduce((a, j) => a + j.mapq, 0) / c.length,
    meanNm: c.reduce((a, j) => a + j.nm, 0) / c.length,
    forwardFraction: c.filter((j) => j.forward).length / c.length,
  };
}
