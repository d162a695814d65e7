/**
 * Reading BGZF blocks (SAM spec §4.1) from a byte-range file handle.
 *
 * A block is a gzip member whose header carries its total size in a `BC`
 * extra subfield (BSIZE = size - 1) and whose footer gives the CRC32 and the
 * uncompressed length (ISIZE, at most 64 KiB). Blocks are read in large
 * spans (several MB, one `read` per span: one ranged GET in Azure), with the
 * next span requested while the current one is inflated, and inflated one by
 * one with zlib's native raw inflate.
 *
 * Block layout (little-endian):
 *   0 ID1=31  1 ID2=139  2 CM=8  3 FLG=4  4 MTIME(4)  8 XFL  9 OS  10 XLEN(2)
 *   12 XLEN bytes of subfields, one of them SI1='B' SI2='C' SLEN=2 BSIZE(2)
 *   then CDATA (raw deflate), CRC32(4), ISIZE(4)
 */
import * as zlib from 'node:zlib';
import type { GenericFilehandle } from 'generic-filehandle2';
import { BamFormatError } from './formatError';

/** A block is at most 64 KiB compressed (BSIZE is 16 bits) and holds at most 64 KiB. */
export const BGZF_MAX_BLOCK_SIZE = 0x10000;
/** CRC32 + ISIZE. */
const FOOTER_SIZE = 8;
/**
 * Compressed bytes per read: 4 MiB is ~60 blocks, ~30k reads of a 30x
 * genome; large enough that request latency is paid rarely, small enough
 * that two spans in memory (current + prefetched) stay well under 10 MB.
 */
export const DEFAULT_SPAN_BYTES = 4 << 20;
/**
 * Output buffer of each inflate call: a whole block fits in one, so zlib
 * makes one pass and no concatenation (the default 16 KiB chunks cost ~40%
 * more time on BAM data).
 */
const INFLATE_CHUNK = BGZF_MAX_BLOCK_SIZE;

export interface BgzfReadOptions {
  /** Compressed bytes per `read` call (at least one block; default 4 MiB). */
  spanBytes?: number;
  /** Verify each block's CRC32 too (costs ~15% of the inflate time). */
  checkCrc?: boolean;
}

export interface BgzfBlock {
  /** Compressed byte offset of the block in the file. */
  readonly position: number;
  /** The block's uncompressed bytes (ISIZE of them). */
  readonly data: Buffer;
}

/**
 * Size of the block whose header starts at `at` in `bytes` (the file's byte
 * `position`) and the length of its header, or null when `bytes` ends inside
 * the header. Throws BamFormatError when the header is not a BGZF header.
 */
export function readBlockHeader(bytes: Uint8Array, at: number, position: number): { size: number; headerSize: number } | null {
  if (at + 12 > bytes.length) return null;
  if (bytes[at] !== 31 || bytes[at + 1] !== 139 || bytes[at + 2] !== 8 || bytes[at + 3] !== 4) {
    throw new BamFormatError(position, `no BGZF block header at byte ${position} (expected 1f 8b 08 04, found ${hex(bytes, at, 4)})`);
  }
  const xlen = bytes[at + 10]! | (bytes[at + 11]! << 8);
  const headerSize = 12 + xlen;
  if (at + headerSize > bytes.length) return null;
  // Walk the extra subfields for BC (it is normally the only one).
  for (let f = at + 12; f + 4 <= at + headerSize; ) {
    const slen = bytes[f + 2]! | (bytes[f + 3]! << 8);
    if (bytes[f] === 66 && bytes[f + 1] === 67 && slen === 2 && f + 6 <= at + headerSize) {
      const size = (bytes[f + 4]! | (bytes[f + 5]! << 8)) + 1;
      if (size < headerSize + FOOTER_SIZE) {
        throw new BamFormatError(position, `the BGZF block at byte ${position} declares ${size} bytes, less than its own header`);
      }
      return { size, headerSize };
    }
    f += 4 + slen;
  }
  throw new BamFormatError(position, `the gzip member at byte ${position} has no BGZF size field (BC): it is gzip, not BGZF`);
}

/** Inflates one complete block and checks ISIZE (and the CRC32 when asked). */
export function inflateBlock(bytes: Uint8Array, at: number, size: number, headerSize: number, position: number, checkCrc = false): Buffer {
  const footer = at + size - FOOTER_SIZE;
  const crc = (bytes[footer]! | (bytes[footer + 1]! << 8) | (bytes[footer + 2]! << 16) | (bytes[footer + 3]! << 24)) >>> 0;
  const isize = (bytes[footer + 4]! | (bytes[footer + 5]! << 8) | (bytes[footer + 6]! << 16) | (bytes[footer + 7]! << 24)) >>> 0;
  if (isize > BGZF_MAX_BLOCK_SIZE) {
    throw new BamFormatError(position, `the BGZF block at byte ${position} declares ${isize} uncompressed bytes (at most 65536)`);
  }
  let data: Buffer;
  try {
    data = zlib.inflateRawSync(bytes.subarray(at + headerSize, footer), { chunkSize: INFLATE_CHUNK, maxOutputLength: BGZF_MAX_BLOCK_SIZE });
  } catch (e) {
    throw new BamFormatError(position, `the BGZF block at byte ${position} does not decompress (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
    });
  }
  if (data.length !== isize) {
    throw new BamFormatError(position, `the BGZF block at byte ${position} decompresses to ${data.length} bytes, not the ${isize} its footer declares`);
  }
  if (checkCrc && zlib.crc32(data) !== crc) {
    throw new BamFormatError(position, `the BGZF block at byte ${position} fails its CRC32 check`);
  }
  return data;
}

/**
 * Yields, in file order, the inflated blocks that start at compressed offsets
 * in [from, to) of a file of `fileSize` bytes. `from` must be the start of a
 * block. One `read` per span, the next span requested before the current one
 * is inflated; stopping the iteration early stops reading.
 */
export async function* readBgzfBlocks(
  file: GenericFilehandle,
  fileSize: number,
  from: number,
  to: number,
  options: BgzfReadOptions = {},
): AsyncGenerator<BgzfBlock> {
  if (to <= from) return;
  const spanBytes = Math.max(BGZF_MAX_BLOCK_SIZE, options.spanBytes ?? DEFAULT_SPAN_BYTES);
  const checkCrc = options.checkCrc ?? false;
  // Every block starting before `to` ends by `to - 1 + 64 KiB`: never read past that.
  const limit = Math.min(fileSize, to - 1 + BGZF_MAX_BLOCK_SIZE);
  const fetch = (pos: number): { pos: number; length: number; bytes: Promise<Uint8Array> } => {
    const length = Math.min(spanBytes, limit - pos);
    const bytes = file.read(length, pos);
    // A prefetch abandoned by an early stop must not surface as an unhandled rejection.
    bytes.catch(() => undefined);
    return { pos, length, bytes };
  };
  if (from >= fileSize) {
    throw new BamFormatError(from, `the index points to byte ${from} but the file has only ${fileSize} bytes: it is truncated`);
  }
  let pending: ReturnType<typeof fetch> | undefined = fetch(from);
  while (pending) {
    const { pos, length } = pending;
    const bytes = await pending.bytes;
    pending = undefined;
    const atEnd = bytes.length < length || pos + bytes.length >= fileSize;
    // Find the complete blocks of this span from their headers alone (cheap)...
    const blocks: { at: number; size: number; headerSize: number }[] = [];
    let at = 0;
    while (pos + at < to) {
      const header = readBlockHeader(bytes, at, pos + at);
      if (!header || at + header.size > bytes.length) break;
      blocks.push({ at, ...header });
      at += header.size;
    }
    if (pos + at < to) {
      if (blocks.length === 0 && !atEnd) {
        // Cannot happen with a well-behaved file handle (a span holds at least one whole block).
        throw new BamFormatError(pos, `no complete BGZF block in the ${bytes.length} bytes read at byte ${pos}`);
      }
      if (atEnd) {
        throw new BamFormatError(
          pos + at,
          `the file ends at byte ${pos + bytes.length}, inside the BGZF block that starts at byte ${pos + at}: it is truncated`,
        );
      }
      // ...so that the next span is on its way while this one is inflated.
      pending = fetch(pos + at);
    }
    for (const b of blocks) {
      yield { position: pos + b.at, data: inflateBlock(bytes, b.at, b.size, b.headerSize, pos + b.at, checkCrc) };
    }
  }
}

function hex(bytes: Uint8Array, at: number, n: number): string {
  return [...bytes.subarray(at, at + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
