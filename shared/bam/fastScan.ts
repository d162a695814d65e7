/**
 * The fast region scan: the records whose start lies in a region, decoded
 * straight from the BGZF blocks with one reusable cursor.
 *
 * The BAI gives the chunks holding the region's records. Since the file is
 * coordinate-sorted, the records that start in the region are contiguous in
 * it, so the scan reads one contiguous stretch — from the first chunk's start
 * to the last chunk's end — in large spans (bgzfBlocks.ts), skips records
 * that start before the region and stops at the first record past it. Memory
 * holds two compressed spans, one inflated block and the record that
 * straddles two blocks, whatever the region's length.
 */
import { InputError, InternalError } from '../errors';
import { readBgzfBlocks, type BgzfReadOptions } from './bgzfBlocks';
import { BamFormatError } from './formatError';
import type { IndexedBam } from './indexedBam';
import { BAM_FIXED_FIELDS, BamRecordCursor } from './recordCursor';
import { compareVirtualOffsets, formatVirtualOffset, type VirtualOffset } from './virtualOffset';

export interface FastScanOptions extends BgzfReadOptions {
  /** Report progress each time the scan passes this many bases (default: only at the end). */
  progressStep?: number;
  /** Called with the bases of the region passed so far and the region's length. */
  onProgress?: (basesDone: number, basesTotal: number) => void;
}

/**
 * Calls `visit` for every record on `contig` whose 0-based start lies in
 * [start, end), in file (coordinate) order, and returns how many it visited.
 *
 * The record passed to `visit` is a cursor that the next record overwrites:
 * read its fields inside `visit`; call `r.detach()` to keep one.
 *
 * Throws InputError BAM_CORRUPT (naming the file, region and byte offset)
 * when a block or record cannot be decoded; errors of the file handle and of
 * `visit` propagate unchanged.
 */
export async function scanRecords(
  bam: IndexedBam,
  contig: string,
  start: number,
  end: number,
  visit: (r: BamRecordCursor) => void,
  options: FastScanOptions = {},
): Promise<number> {
  const refId = bam.refIds.get(contig);
  if (refId === undefined) {
    throw new InternalError('UNKNOWN_CONTIG', `${bam.name} has no contig named ${contig} (its header lists ${[...bam.refIds.keys()].slice(0, 5).join(', ')}, ...)`);
  }
  const progress = new Progress(start, end, options);
  const chunks = bam.index.chunksForRange(refId, start, end);
  const first = chunks[0];
  const last = chunks[chunks.length - 1];
  if (!first || !last) {
    progress.finish();
    return 0;
  }
  const walker = new RecordWalker(refId, start, end, last.end, visit, progress);
  // Blocks up to the one holding the last chunk's end (exclusive when the end is a block boundary).
  const toBlock = last.end.offset > 0 ? last.end.block + 1 : last.end.block;
  try {
    let skip = first.begin.offset;
    for await (const block of readBgzfBlocks(bam.file, bam.fileSize, first.begin.block, toBlock, options)) {
      if (!walker.block(block.data, block.position, skip)) break;
      skip = 0;
    }
    walker.finish();
  } catch (e) {
    if (!(e instanceof BamFormatError)) throw e;
    throw new InputError(
      'BAM_CORRUPT',
      `${bam.name} is damaged in ${contig}:${start + 1}-${end} (${e.message}; BGZF block at compressed byte ${e.position}): ` +
        `check your copy with samtools view -c ${bam.name} (it decodes every block): if it succeeds, the upload was damaged, so upload the file again; if it fails too, regenerate the BAM`,
      { cause: e },
    );
  }
  progress.finish();
  return walker.visited;
}

/** Calls onProgress as the scan passes each step of the region. */
class Progress {
  /** Next start position at which to report. */
  next: number;
  private readonly step: number;

  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly options: FastScanOptions,
  ) {
    this.step = options.onProgress && options.progressStep && options.progressStep > 0 ? options.progressStep : Number.POSITIVE_INFINITY;
    this.next = start + this.step;
  }

  /** The scan reached a record starting at `pos` (>= next). */
  passed(pos: number): void {
    while (this.next <= pos && this.next < this.end) {
      this.options.onProgress?.(this.next - this.start, this.end - this.start);
      this.next += this.step;
    }
  }

  finish(): void {
    this.passed(this.end);
    this.options.onProgress?.(this.end - this.start, this.end - this.start);
  }
}

/**
 * Walks the records of successive inflated blocks, stitching the records that
 * straddle block boundaries, and stops at the first record past the region.
 */
class RecordWalker {
  visited = 0;
  private readonly cursor = new BamRecordCursor();
  /** Parts of a record that straddles blocks, and what is known of it. */
  private carry: Uint8Array[] = [];
  private carryLength = 0;
  /** Total bytes (block_size + 4) of the straddling record; -1 until its block_size is known. */
  private carryNeed = -1;
  private carryAt: VirtualOffset = { block: 0, offset: 0 };
  private done = false;

  constructor(
    private readonly refId: number,
    private readonly start: number,
    private readonly end: number,
    /** Virtual offset where the region's last chunk ends. */
    private readonly stopAt: VirtualOffset,
    private readonly visit: (r: BamRecordCursor) => void,
    private readonly progress: Progress,
  ) {}

  /** Walks one block from byte `skip`; false once the region is done. */
  block(data: Buffer, position: number, skip: number): boolean {
    let p = skip;
    if (this.carryLength > 0) {
      p = this.continueCarry(data);
      if (this.done) return false;
    }
    const length = data.length;
    const view = new DataView(data.buffer, data.byteOffset, length);
    while (p + 4 <= length) {
      const size = view.getInt32(p, true) + 4;
      checkSize(size, position, p);
      if (p + size > length) break;
      if (!this.record(data, view, p, size, position, p)) return false;
      p += size;
    }
    if (p < length) {
      this.carry = [data.subarray(p)];
      this.carryLength = length - p;
      this.carryNeed = this.carryLength >= 4 ? view.getInt32(p, true) + 4 : -1;
      this.carryAt = { block: position, offset: p };
    }
    return true;
  }

  /** The stream ended: a record cut short before the region's end means the data is damaged. */
  finish(): void {
    if (this.done || this.carryLength === 0) return;
    if (compareVirtualOffsets(this.carryAt, this.stopAt) < 0) {
      throw new BamFormatError(
        this.carryAt.block,
        `the record at virtual offset ${formatVirtualOffset(this.carryAt)} is cut short (${this.carryLength} bytes of ${this.carryNeed < 0 ? 'at least 4' : this.carryNeed})`,
      );
    }
  }

  /** Adds the head of `data` to the straddling record; returns where the block's own records start. */
  private continueCarry(data: Buffer): number {
    if (this.carryNeed < 0) {
      const head = Buffer.concat([...this.carry, data.subarray(0, 4)]);
      if (head.length >= 4) {
        this.carryNeed = head.readInt32LE(0) + 4;
        checkSize(this.carryNeed, this.carryAt.block, this.carryAt.offset);
      }
    }
    const take = this.carryNeed < 0 ? data.length : Math.min(this.carryNeed - this.carryLength, data.length);
    this.carry.push(data.subarray(0, take));
    this.carryLength += take;
    if (this.carryLength === this.carryNeed) {
      const bytes = Buffer.concat(this.carry, this.carryLength);
      const at = this.carryAt;
      this.carry = [];
      this.carryLength = 0;
      this.carryNeed = -1;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      if (!this.record(bytes, view, 0, bytes.length, at.block, at.offset)) this.done = true;
    }
    return take;
  }

  /**
   * One whole record of `size` bytes at `p` in `data`, found in the block
   * at `block`, at `offset` in its data. False once past the region.
   */
  private record(data: Uint8Array, view: DataView, p: number, size: number, block: number, offset: number): boolean {
    // Sorted file: the first record past the region, on another reference or past the last chunk ends the scan.
    const refId = view.getInt32(p + 4, true);
    const pos = view.getInt32(p + 8, true);
    if (refId !== this.refId || pos >= this.end || block > this.stopAt.block || (block === this.stopAt.block && offset >= this.stopAt.offset)) {
      this.done = true;
      return false;
    }
    if (pos < this.start) return true;
    // Name, CIGAR, sequence and qualities must lie inside the record.
    const nameLength = data[p + 12]!;
    const nCigar = view.getUint16(p + 16, true);
    const seqLength = view.getInt32(p + 20, true);
    if (seqLength < 0 || 36 + nameLength + 4 * nCigar + ((seqLength + 1) >> 1) + seqLength > size) {
      throw new BamFormatError(
        block,
        `the record at virtual offset ${block}:${offset} is malformed (its name, CIGAR and sequence overrun its ${size - 4} bytes)`,
      );
    }
    if (pos >= this.progress.next) this.progress.passed(pos);
    // block * 2^16 + offset is exact below 128 GiB of compressed file: an identifier, not an address.
    this.cursor.load(data, view, p, block * 0x10000 + offset);
    this.visit(this.cursor);
    this.visited++;
    return true;
  }
}

/**
 * Largest record accepted (bytes): ~40 Mb ultra-long reads fit (1.5 bytes per
 * base); a larger block_size is a damaged length field, and stitching it
 * would buffer the rest of the region.
 */
const MAX_RECORD_SIZE = 64 << 20;

/** Checks a record's total size (block_size + 4) read at `block`:`offset`. */
function checkSize(size: number, block: number, offset: number): void {
  if (size - 4 < BAM_FIXED_FIELDS || size > MAX_RECORD_SIZE) {
    throw new BamFormatError(
      block,
      `the record at virtual offset ${block}:${offset} declares ${size - 4} bytes (a record has at least ${BAM_FIXED_FIELDS} and LAG accepts at most ${MAX_RECORD_SIZE})`,
    );
  }
}
