/**
 * BGZF writer (SAM spec section 4.1): a series of gzip members, each holding at
 * most 64 KiB, whose header carries the member's size in a `BC` extra
 * subfield, ended by a fixed empty member. Any gzip reader decompresses it;
 * htslib can also seek to a "virtual offset" (compressed offset of a block
 * << 16 | offset inside its uncompressed data), which the tabix index stores.
 */
import * as zlib from 'node:zlib';
import { InternalError } from '../errors';

/**
 * Uncompressed bytes per block: htslib's and bgzip's BGZF_BLOCK_SIZE (0xff00),
 * which leaves room for deflate's worst-case growth under the 64 KiB limit.
 */
export const BGZF_BLOCK_DATA_SIZE = 0xff00;

/** BSIZE is stored as (block size - 1) in 16 bits: a block is at most 64 KiB. */
const MAX_BLOCK_SIZE = 0x10000;
/** gzip fixed header (10) + XLEN (2) + BC subfield (2 id + 2 length + 2 BSIZE). */
const HEADER_SIZE = 18;
/** CRC32 (4) + ISIZE (4). */
const FOOTER_SIZE = 8;

/** The standard 28-byte empty block that marks a complete BGZF file. */
export const BGZF_EOF = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');

export interface BgzfFile {
  readonly bytes: Buffer;
  /** Compressed offset of every data block, then of the EOF block. */
  readonly blockOffsets: readonly number[];
  readonly uncompressedLength: number;
  /**
   * Virtual offset of uncompressed byte offset `u` (0 <= u <= length), as
   * htslib's bgzf_tell reports it: a position at the end of a block is the
   * start (offset 0) of the next block, so the end of the data is the EOF block.
   */
  virtualOffset(u: number): bigint;
}

export interface BgzfOptions {
  /** zlib level, 0-9; defaults to zlib's default (6), as bgzip uses. */
  level?: number;
}

export function bgzfCompress(data: Buffer, options: BgzfOptions = {}): BgzfFile {
  const level = options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION;
  const parts: Buffer[] = [];
  const blockOffsets: number[] = [];
  let offset = 0;
  for (let start = 0; start < data.length; start += BGZF_BLOCK_DATA_SIZE) {
    const block = bgzfBlock(data.subarray(start, start + BGZF_BLOCK_DATA_SIZE), level);
    blockOffsets.push(offset);
    parts.push(block);
    offset += block.length;
  }
  blockOffsets.push(offset);
  parts.push(BGZF_EOF);
  const length = data.length;
  return {
    bytes: Buffer.concat(parts),
    blockOffsets,
    uncompressedLength: length,
    virtualOffset(u: number): bigint {
      if (!Number.isInteger(u) || u < 0 || u > length) {
        throw new InternalError('BGZF_OFFSET', `uncompressed offset ${u} is outside 0..${length}`);
      }
      // Every block but the last holds exactly BGZF_BLOCK_DATA_SIZE bytes.
      const block = u === length ? blockOffsets.length - 1 : Math.floor(u / BGZF_BLOCK_DATA_SIZE);
      const within = u === length ? 0 : u % BGZF_BLOCK_DATA_SIZE;
      // 16 bits of within-block offset: the virtual offset layout of the spec.
      return (BigInt(blockOffsets[block] ?? 0) << 16n) | BigInt(within);
    },
  };
}

/** One BGZF member holding `data` (at most BGZF_BLOCK_DATA_SIZE bytes). */
function bgzfBlock(data: Buffer, level: number): Buffer {
  const cdata = zlib.deflateRawSync(data, { level });
  const size = HEADER_SIZE + cdata.length + FOOTER_SIZE;
  if (size > MAX_BLOCK_SIZE) {
    throw new InternalError('BGZF_BLOCK_TOO_LARGE', `deflated block of ${size} bytes exceeds 64 KiB`);
  }
  const block = Buffer.alloc(size);
  block.set([
    0x1f, 0x8b, // gzip magic
    8, // CM = deflate
    4, // FLG = FEXTRA
    0, 0, 0, 0, // MTIME
    0, // XFL
    0xff, // OS = unknown
    6, 0, // XLEN = 6: one subfield of 2 + 2 + 2 bytes
    66, 67, // SI1 SI2 = 'B' 'C'
    2, 0, // SLEN = 2
  ]);
  block.writeUInt16LE(size - 1, 16);
  cdata.copy(block, HEADER_SIZE);
  block.writeUInt32LE(crc32(data), size - FOOTER_SIZE);
  block.writeUInt32LE(data.length, size - 4);
  return block;
}

/** zlib.crc32 exists from Node 20.15 / 22.2; older runtimes use the table. */
export function crc32(data: Buffer): number {
  return typeof zlib.crc32 === 'function' ? zlib.crc32(data) >>> 0 : tableCrc32(data);
}

export function tableCrc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Reflected CRC-32 table for the gzip polynomial 0xedb88320. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
