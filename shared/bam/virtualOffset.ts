/**
 * BGZF virtual offsets (SAM spec §4.1.1): `coffset << 16 | uoffset`, where
 * coffset is the byte offset of a BGZF block in the compressed file and
 * uoffset the offset inside that block's uncompressed data (< 65536).
 *
 * The 64-bit value is kept as its two parts: a JS number holds the whole
 * value exactly only for files below 2^37 bytes (128 GiB), and a deep
 * whole-genome BAM can be larger.
 */
export interface VirtualOffset {
  /** Compressed byte offset of the BGZF block. */
  readonly block: number;
  /** Byte offset inside the block's uncompressed data (0-65535). */
  readonly offset: number;
}

/** Reads the little-endian uint64 virtual offset at `at`. */
export function readVirtualOffset(view: DataView, at: number): VirtualOffset {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  // coffset = bits 16..63: the high word shifted up 16 plus the top half of the low word.
  return { block: hi * 0x10000 + (lo >>> 16), offset: lo & 0xffff };
}

/** Negative, zero or positive as `a` comes before, at or after `b` in the file. */
export function compareVirtualOffsets(a: VirtualOffset, b: VirtualOffset): number {
  return a.block - b.block || a.offset - b.offset;
}

/** `block:offset`, as samtools and htslib print virtual offsets in messages. */
export function formatVirtualOffset(v: VirtualOffset): string {
  return `${v.block}:${v.offset}`;
}
