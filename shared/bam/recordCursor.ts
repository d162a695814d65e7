/**
 * A reusable view of one BAM record at a time (SAM spec §4.2). The scanner
 * points a single cursor at each record in turn, so a scan allocates no
 * object per record: the fixed fields the evidence code reads on every
 * record (those of LeanRecord) are decoded when the cursor moves; the CIGAR
 * ops, aux tags (SA), name, sequence and qualities only when asked.
 *
 * A cursor is only valid inside the visitor call that received it: the next
 * record overwrites it. A visitor that must keep a record calls `detach()`.
 *
 * It extends LeanRecord so that code typed against LeanRecord (the SvCaller
 * interface) takes it unchanged.
 *
 * Record layout (offsets from the record start, little-endian):
 *   0 block_size  4 refID  8 pos  12 l_read_name  13 mapq  14 bin
 *   16 n_cigar_op 18 flag  20 l_seq  24 next_refID  28 next_pos  32 tlen
 *   36 read_name (l_read_name bytes incl. NUL)  cigar (n_cigar_op x uint32: len << 4 | op)
 *   seq ((l_seq + 1) / 2 bytes, 4 bits per base)  qual (l_seq bytes)  aux tags to block_size + 4
 */
import { LeanRecord } from './record';

/** CIGAR operation codes (the low 4 bits of each packed op). */
export const CIGAR_OP = { M: 0, I: 1, D: 2, N: 3, S: 4, H: 5, P: 6, EQ: 7, X: 8 } as const;
const CIGAR_CHARS = 'MIDNSHP=X';
/** Ops that consume the reference: M D N = X, as a bitmask over op codes. */
const CONSUMES_REF = (1 << CIGAR_OP.M) | (1 << CIGAR_OP.D) | (1 << CIGAR_OP.N) | (1 << CIGAR_OP.EQ) | (1 << CIGAR_OP.X);
/** 4-bit base codes (§4.2.3). */
const SEQ_CHARS = '=ACMGRSVTWYHKDBN';
/** 1 for the codes of C, G and S (C or G) in SEQ_CHARS. */
const STRONG = Uint8Array.from([...SEQ_CHARS].map((c) => (c === 'C' || c === 'G' || c === 'S' ? 1 : 0)));
/** Bytes of the fixed part after block_size. */
export const BAM_FIXED_FIELDS = 32;

/** An aux tag value: A/Z/H as strings, integer and float types as numbers, B arrays as number arrays. */
export type AuxValue = string | number | number[];

/** A 36-byte record of zeros (block_size 32): what the cursor shows before its first record. */
const EMPTY_RECORD = Uint8Array.from([32, 0, 0, 0, ...new Array<number>(32).fill(0)]);
const latin1 = new TextDecoder('latin1');

export class BamRecordCursor extends LeanRecord {
  // The LeanRecord fields, made writable: the cursor moves from record to record.
  declare fileOffset: number;
  declare ref_id: number;
  declare start: number;
  declare flags: number;
  declare mapq: number;
  declare next_refid: number;
  declare next_pos: number;
  declare tlen: number;
  declare seqLength: number;
  declare end: number;

  private raw: Uint8Array = EMPTY_RECORD;
  private view: DataView = new DataView(EMPTY_RECORD.buffer);
  /** Offset of block_size in `raw`. */
  private at = 0;
  private nameLen = 1;
  private cigarCount = 0;

  constructor() {
    super({ bytes: { byteArray: EMPTY_RECORD, start: 0, end: EMPTY_RECORD.length }, fileOffset: 0 });
  }

  /**
   * Moves the cursor to the record whose block_size is at `at` in `raw`
   * (`view` spans all of `raw`); the caller has checked that the record's
   * block_size bytes, and at least its fixed fields, name and CIGAR, lie in
   * `raw`. `fileOffset` identifies the record (its virtual offset).
   */
  load(raw: Uint8Array, view: DataView, at: number, fileOffset: number): void {
    this.raw = raw;
    this.view = view;
    this.at = at;
    this.fileOffset = fileOffset;
    this.ref_id = view.getInt32(at + 4, true);
    const start = view.getInt32(at + 8, true);
    this.start = start;
    const nameLen = raw[at + 12]!;
    this.nameLen = nameLen;
    this.mapq = raw[at + 13]!;
    const nCigar = view.getUint16(at + 16, true);
    this.cigarCount = nCigar;
    this.flags = view.getUint16(at + 18, true);
    this.seqLength = view.getInt32(at + 20, true);
    this.next_refid = view.getInt32(at + 24, true);
    this.next_pos = view.getInt32(at + 28, true);
    this.tlen = view.getInt32(at + 32, true);
    let refLen = 0;
    for (let i = 0, c = at + 36 + nameLen; i < nCigar; i++, c += 4) {
      const op = view.getUint32(c, true);
      if ((CONSUMES_REF >> (op & 0xf)) & 1) refLen += op >>> 4;
    }
    // An unmapped read placed at its mate's position covers one base (htslib bam_endpos).
    this.end = start + (refLen > 0 ? refLen : 1);
  }

  /** A copy of this record that owns its bytes: safe to keep after the visitor returns. */
  detach(): BamRecordCursor {
    const size = this.view.getInt32(this.at, true) + 4;
    const copy = this.raw.slice(this.at, this.at + size);
    const out = new BamRecordCursor();
    out.load(copy, new DataView(copy.buffer, copy.byteOffset, copy.byteLength), 0, this.fileOffset);
    return out;
  }

  /** Read name (QNAME). */
  override get name(): string {
    const from = this.at + 36;
    return latin1.decode(this.raw.subarray(from, from + this.nameLen - 1));
  }

  /** Number of CIGAR operations. */
  get cigarLength(): number {
    return this.cigarCount;
  }

  /** CIGAR op `i`, packed: length `op >>> 4`, code `op & 0xf` (CIGAR_OP). */
  cigarOp(i: number): number {
    if (i < 0 || i >= this.cigarCount) throw new RangeError(`CIGAR op ${i} of ${this.cigarCount}`);
    return this.view.getUint32(this.at + 36 + this.nameLen + 4 * i, true);
  }

  /** The CIGAR as text (`*` when absent). */
  get cigar(): string {
    if (this.cigarCount === 0) return '*';
    let s = '';
    for (let i = 0; i < this.cigarCount; i++) {
      const op = this.cigarOp(i);
      s += `${op >>> 4}${CIGAR_CHARS[op & 0xf] ?? '?'}`;
    }
    return s;
  }

  /** Soft-clipped bases at the left end (reference orientation), after any hard clip. */
  get clipStart(): number {
    return this.softClipAt(0, 1);
  }

  /** Soft-clipped bases at the right end (reference orientation), before any hard clip. */
  get clipEnd(): number {
    return this.softClipAt(this.cigarCount - 1, -1);
  }

  /** The read sequence (SEQ, `=ACMGRSVTWYHKDBN` codes), decoded on each call. */
  sequence(): string {
    const n = this.seqLength;
    const from = this.seqAt();
    const chars = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const byte = this.raw[from + (i >> 1)]!;
      chars[i] = SEQ_CHARS[i & 1 ? byte & 0xf : byte >> 4]!;
    }
    return chars.join('');
  }

  /** Bases C, G or S (strong) in SEQ, counted on the packed codes without decoding (0 without SEQ). */
  gcCount(): number {
    const n = this.seqLength;
    const from = this.seqAt();
    let gc = 0;
    for (let i = 0; i < n >> 1; i++) {
      const byte = this.raw[from + i]!;
      gc += STRONG[byte >> 4]! + STRONG[byte & 0xf]!;
    }
    if (n & 1) gc += STRONG[this.raw[from + (n >> 1)]! >> 4]!;
    return gc;
  }

  /** Base qualities (Phred, not +33), a copy; all 0xff when the record has none. */
  qualities(): Uint8Array {
    const from = this.seqAt() + ((this.seqLength + 1) >> 1);
    return this.raw.slice(from, from + this.seqLength);
  }

  /** The value of aux tag `tag` (two characters, e.g. "SA", "NM"), or undefined when absent. */
  aux(tag: string): AuxValue | undefined {
    const c0 = tag.charCodeAt(0);
    const c1 = tag.charCodeAt(1);
    let found: AuxValue | undefined;
    this.walkAux((t0, t1, type, at) => {
      if (t0 !== c0 || t1 !== c1) return false;
      found = this.auxValue(type, at);
      return true;
    });
    return found;
  }

  /** The SA tag (supplementary alignments of a split read: `rname,pos,strand,CIGAR,mapQ,NM;`...), if any. */
  get sa(): string | undefined {
    const v = this.aux('SA');
    return typeof v === 'string' ? v : undefined;
  }

  /** All aux tags, decoded (slow: for debugging and BamRecordLike compatibility). */
  override get tags(): Record<string, AuxValue> {
    const out: Record<string, AuxValue> = {};
    this.walkAux((t0, t1, type, at) => {
      out[String.fromCharCode(t0, t1)] = this.auxValue(type, at);
      return false;
    });
    return out;
  }

  private softClipAt(i: number, step: 1 | -1): number {
    if (this.cigarCount === 0) return 0;
    let op = this.cigarOp(i);
    if ((op & 0xf) === CIGAR_OP.H && i + step >= 0 && i + step < this.cigarCount) op = this.cigarOp(i + step);
    return (op & 0xf) === CIGAR_OP.S ? op >>> 4 : 0;
  }

  private seqAt(): number {
    return this.at + 36 + this.nameLen + 4 * this.cigarCount;
  }

  /** Calls `visit(tag0, tag1, type, valueAt)` per aux field until it returns true. */
  private walkAux(visit: (t0: number, t1: number, type: number, at: number) => boolean): void {
    const raw = this.raw;
    const end = this.at + 4 + this.view.getInt32(this.at, true);
    let p = this.seqAt() + ((this.seqLength + 1) >> 1) + this.seqLength;
    while (p + 3 <= end) {
      const type = raw[p + 2]!;
      if (visit(raw[p]!, raw[p + 1]!, type, p + 3)) return;
      const size = this.auxSize(type, p + 3, end);
      if (size < 0) return; // unknown type or malformed: stop rather than misread
      p += 3 + size;
    }
  }

  /** Bytes of an aux value of `type` at `at`; -1 when it cannot be sized. */
  private auxSize(type: number, at: number, end: number): number {
    switch (String.fromCharCode(type)) {
      case 'A':
      case 'c':
      case 'C':
        return 1;
      case 's':
      case 'S':
        return 2;
      case 'i':
      case 'I':
      case 'f':
        return 4;
      case 'Z':
      case 'H': {
        const nul = this.raw.indexOf(0, at);
        return nul < 0 || nul >= end ? -1 : nul - at + 1;
      }
      case 'B': {
        const width = this.auxSize(this.raw[at]!, at + 1, end);
        return width < 0 || at + 5 > end ? -1 : 5 + width * this.view.getInt32(at + 1, true);
      }
      default:
        return -1;
    }
  }

  private auxValue(type: number, at: number): AuxValue {
    const v = this.view;
    switch (String.fromCharCode(type)) {
      case 'A':
        return String.fromCharCode(this.raw[at]!);
      case 'c':
        return v.getInt8(at);
      case 'C':
        return v.getUint8(at);
      case 's':
        return v.getInt16(at, true);
      case 'S':
        return v.getUint16(at, true);
      case 'i':
        return v.getInt32(at, true);
      case 'I':
        return v.getUint32(at, true);
      case 'f':
        return v.getFloat32(at, true);
      case 'Z':
      case 'H': {
        const nul = this.raw.indexOf(0, at);
        return latin1.decode(this.raw.subarray(at, nul < 0 ? at : nul));
      }
      case 'B': {
        const sub = this.raw[at]!;
        const n = v.getInt32(at + 1, true);
        const width = this.auxSize(sub, at + 5, Number.POSITIVE_INFINITY);
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push(this.auxValue(sub, at + 5 + i * width) as number);
        return out;
      }
      default:
        return '';
    }
  }
}
