/**
 * A lean BAM record: only the fixed-size fields the SV evidence needs, read
 * straight from the decompressed bytes on demand. @gmod/bam builds one of
 * these per record instead of its full BamRecord (`recordClass` option).
 *
 * Field layout (SAM spec §4.2, offsets from the start of block_size):
 *   0 block_size  4 refID  8 pos  12 l_read_name  13 mapq  14 bin
 *   16 n_cigar_op 18 flag  20 l_seq  24 next_refID  28 next_pos  32 tlen
 *   36 read_name (l_read_name bytes, NUL-terminated)  then cigar (uint32 each)
 */
import type { BamRecordLike } from '@gmod/bam';

export const FLAG = {
  paired: 0x1,
  properPair: 0x2,
  unmapped: 0x4,
  mateUnmapped: 0x8,
  reverse: 0x10,
  mateReverse: 0x20,
  read1: 0x40,
  read2: 0x80,
  secondary: 0x100,
  qcFail: 0x200,
  duplicate: 0x400,
  supplementary: 0x800,
} as const;

/** Reads never used as evidence: unmapped, secondary, QC-fail, duplicate, supplementary. */
export const EXCLUDED_FLAGS = FLAG.unmapped | FLAG.secondary | FLAG.qcFail | FLAG.duplicate | FLAG.supplementary;

/** Cigar ops that consume the reference: M D N = X (SAM spec table, bitmask over op codes). */
const CONSUMES_REF = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 7) | (1 << 8);

let lastArray: Uint8Array | undefined;
let lastView: DataView | undefined;
function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== lastArray) {
    lastArray = bytes;
    lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return lastView!;
}

export class LeanRecord implements BamRecordLike {
  readonly fileOffset: number;
  readonly ref_id: number;
  /** 0-based leftmost aligned position. */
  readonly start: number;
  readonly flags: number;
  readonly mapq: number;
  readonly next_refid: number;
  readonly next_pos: number;
  readonly tlen: number;
  readonly seqLength: number;
  /** 0-based exclusive end on the reference. */
  readonly end: number;
  private readonly bytes: Uint8Array;
  private readonly offset: number;
  private readonly nameLength: number;

  constructor(args: { bytes: { byteArray: Uint8Array; start: number; end: number }; fileOffset: number }) {
    const b = args.bytes;
    const v = viewOf(b.byteArray);
    const o = b.start;
    this.bytes = b.byteArray;
    this.offset = o;
    this.fileOffset = args.fileOffset;
    this.ref_id = v.getInt32(o + 4, true);
    this.start = v.getInt32(o + 8, true);
    this.nameLength = v.getUint8(o + 12);
    this.mapq = v.getUint8(o + 13);
    const nCigar = v.getUint16(o + 16, true);
    this.flags = v.getUint16(o + 18, true);
    this.seqLength = v.getInt32(o + 20, true);
    this.next_refid = v.getInt32(o + 24, true);
    this.next_pos = v.getInt32(o + 28, true);
    this.tlen = v.getInt32(o + 32, true);
    let refLen = 0;
    const cigarAt = o + 36 + this.nameLength;
    for (let i = 0; i < nCigar; i++) {
      const op = v.getUint32(cigarAt + 4 * i, true);
      if ((CONSUMES_REF >> (op & 0xf)) & 1) refLen += op >>> 4;
    }
    // An unmapped read placed at its mate's position covers one base (htslib bam_endpos).
    this.end = this.start + (refLen > 0 ? refLen : 1);
  }

  /** Read name, decoded only when asked for (pairing by name, debugging). */
  get name(): string {
    const at = this.offset + 36;
    return new TextDecoder('ascii').decode(this.bytes.subarray(at, at + this.nameLength - 1));
  }

  /** Lean records do not decode aux tags; the evidence code reads what it needs directly. */
  get tags(): Record<string, unknown> {
    return {};
  }
}
