/**
 * Streams the records of a region of an opened BAM to a visitor, through
 * LAG's own BGZF/BAI decoding (fastScan.ts): one contiguous stretch of the
 * file read in multi-MB requests, records decoded in place with one reusable
 * cursor, so memory stays bounded (a few MB) whatever the region's length.
 */
import type { BamFile } from '@gmod/bam';
import type { BgzfReadOptions } from './bgzfBlocks';
import { scanRecords } from './fastScan';
import { indexedBamOf } from './indexedBam';
import type { LeanRecord } from './record';
import type { BamRecordCursor } from './recordCursor';

export interface ScanOptions extends BgzfReadOptions {
  /** Bases between two progress reports (bp). */
  windowSize: number;
  /** Called after each window with the bases covered so far. */
  onProgress?: (basesDone: number, basesTotal: number) => void;
}

/** 1 Mb: progress reports about every 200k reads at 30x. */
export const DEFAULT_SCAN_WINDOW = 1_000_000;

/**
 * Calls `visit` once for every record whose start lies in [start, end), in
 * coordinate order. Returns the number of records visited.
 *
 * `visit` receives a cursor that the next record overwrites: read its fields
 * inside the call (`r.detach()` gives a copy to keep). Its lazy accessors
 * (`cigarOp`, `clipStart`/`clipEnd`, `sa`, `aux`, `sequence`, `qualities`)
 * decode only when called.
 *
 * Throws InputError BAM_CORRUPT, naming the file, the region and the byte
 * offset, when the data cannot be decoded.
 */
export async function scanRegion(
  bam: BamFile<LeanRecord>,
  bamName: string,
  contig: string,
  start: number,
  end: number,
  visit: (r: BamRecordCursor) => void,
  options: ScanOptions = { windowSize: DEFAULT_SCAN_WINDOW },
): Promise<number> {
  const indexed = await indexedBamOf(bam, bamName);
  const { windowSize, onProgress, ...read } = options;
  return scanRecords(indexed, contig, start, end, visit, { ...read, progressStep: windowSize, ...(onProgress ? { onProgress } : {}) });
}
