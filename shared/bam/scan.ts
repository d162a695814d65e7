/**
 * Streams the records of a region window by window, so memory stays bounded
 * by one window's reads whatever the chromosome length (@gmod/bam's
 * getRecordsForRange materialises whole arrays).
 */
import type { BamFile } from '@gmod/bam';
import { InputError, isLagError } from '../errors';
import type { LeanRecord } from './record';

export interface ScanOptions {
  /** Bases fetched per request to the BAM (bp). */
  windowSize: number;
  /** Called after each window with the bases covered so far. */
  onProgress?: (basesDone: number, basesTotal: number) => void;
}

/** 1 Mb: ~200k reads at 30x, a few tens of MB of decoded records. */
export const DEFAULT_SCAN_WINDOW = 1_000_000;

/**
 * Calls `visit` once for every record whose start lies in [start, end), in
 * coordinate order. Returns the number of records visited.
 */
export async function scanRegion(
  bam: BamFile<LeanRecord>,
  bamName: string,
  contig: string,
  start: number,
  end: number,
  visit: (r: LeanRecord) => void,
  options: ScanOptions = { windowSize: DEFAULT_SCAN_WINDOW },
): Promise<number> {
  let visited = 0;
  for (let ws = start; ws < end; ws += options.windowSize) {
    const we = Math.min(end, ws + options.windowSize);
    let records: LeanRecord[];
    try {
      records = await bam.getRecordsForRange(contig, ws, we);
    } catch (e) {
      if (isLagError(e)) throw e;
      throw new InputError(
        'BAM_CORRUPT',
        `${bamName} could not be decoded in ${contig}:${ws + 1}-${we} (${e instanceof Error ? e.message : String(e)}): the file is damaged; upload it again (samtools quickcheck ${bamName} checks it)`,
        { cause: e },
      );
    }
    for (const r of records) {
      if (r.start >= ws && r.start < we) {
        visit(r);
        visited++;
      }
    }
    // The library caches decoded chunks; drop them so memory holds one window.
    bam.chunkFeatureCache.clear();
    options.onProgress?.(we - start, end - start);
  }
  return visited;
}
