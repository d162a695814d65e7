/**
 * The BAM index (BAI, SAM spec §5.2): for each reference, a binning index
 * (bins of the UCSC scheme, each a list of chunks = virtual-offset ranges of
 * records) and a linear index (the smallest virtual offset of any record
 * overlapping each 16 kb window). Region queries follow htslib's
 * hts_itr_query: bins overlapping the region, chunks that end after the
 * linear-index offset of the region start, sorted and merged.
 *
 * Layout (little-endian):
 *   magic "BAI\1"  n_ref int32
 *   per reference: n_bin int32
 *     per bin: bin uint32  n_chunk int32  n_chunk x (chunk_beg uint64, chunk_end uint64)
 *     n_intv int32  n_intv x ioffset uint64
 *   n_no_coor uint64 (optional)
 */
import { compareVirtualOffsets, readVirtualOffset, type VirtualOffset } from './virtualOffset';

/** "BAI\1" read as a little-endian int32. */
const BAI_MAGIC = 0x01494142;
/** The linear index has one entry per 2^14 = 16 kb window. */
const LINEAR_SHIFT = 14;
/** samtools' pseudo-bin holding the reference's offsets and mapped/unmapped counts (§5.2, bin 37450). */
const PSEUDO_BIN = 37450;
/** BAI bins address positions below 2^29 (512 Mb). */
export const BAI_MAX_POSITION = 1 << 29;

export interface Chunk {
  readonly begin: VirtualOffset;
  readonly end: VirtualOffset;
}

/** Why a BAI cannot be parsed; the caller names the file. */
export class BaiFormatError extends Error {
  override readonly name = 'BaiFormatError';
}

interface ReferenceIndex {
  bins: Map<number, Chunk[]>;
  linear: VirtualOffset[];
  mapped: number | null;
  unmapped: number | null;
}

export class BaiIndex {
  /** Number of reference sequences the index describes. */
  readonly referenceCount: number;
  /** Reads without coordinates (unplaced unmapped), when the index records it. */
  readonly unplacedUnmapped: number | null;
  private readonly view: DataView;
  /** Byte offset of each reference's section, found by one skimming pass. */
  private readonly sections: number[];
  private readonly parsed = new Map<number, ReferenceIndex>();

  private constructor(view: DataView, sections: number[], unplacedUnmapped: number | null) {
    this.view = view;
    this.sections = sections;
    this.referenceCount = sections.length;
    this.unplacedUnmapped = unplacedUnmapped;
  }

  /**
   * Skims the index once to find each reference's section; the bins of a
   * reference are decoded the first time it is queried.
   */
  static parse(bytes: Uint8Array): BaiIndex {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const need = (at: number, n: number, what: string): void => {
      if (at + n > bytes.byteLength) throw new BaiFormatError(`the index ends inside ${what} (byte ${at} of ${bytes.byteLength})`);
    };
    need(0, 8, 'its header');
    if (view.getInt32(0, true) !== BAI_MAGIC) throw new BaiFormatError('it does not start with the BAI signature "BAI\\1"');
    const nRef = view.getInt32(4, true);
    if (nRef < 0) throw new BaiFormatError(`it declares ${nRef} reference sequences`);
    const sections: number[] = [];
    let at = 8;
    for (let r = 0; r < nRef; r++) {
      sections.push(at);
      need(at, 4, `the bin count of reference ${r}`);
      const nBin = view.getInt32(at, true);
      at += 4;
      for (let b = 0; b < nBin; b++) {
        need(at, 8, `bin ${b} of reference ${r}`);
        const nChunk = view.getInt32(at + 4, true);
        at += 8 + 16 * nChunk;
      }
      need(at, 4, `the linear index of reference ${r}`);
      at += 4 + 8 * view.getInt32(at, true);
      need(at, 0, `the linear index of reference ${r}`);
    }
    // n_no_coor is optional (absent in old indexes); read it only when all 8 bytes are there.
    const unplaced = at + 8 <= bytes.byteLength ? view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32 : null;
    return new BaiIndex(view, sections, unplaced);
  }

  /** Mapped reads on a reference, from the pseudo-bin (null when the indexer wrote none). */
  mappedReads(refId: number): number | null {
    return this.reference(refId)?.mapped ?? null;
  }

  /**
   * The chunks that hold every record overlapping [start, end) (0-based,
   * half-open) on reference `refId`, sorted and with overlapping or touching
   * chunks merged. Empty when nothing there is indexed.
   *
   * Chunks ending at or before the linear-index offset of `start` are
   * dropped and the others start no earlier than it: no record overlapping
   * the region lies before that offset (it is the smallest offset of the
   * records overlapping start's 16 kb window, and the file is sorted).
   */
  chunksForRange(refId: number, start: number, end: number): Chunk[] {
    const ref = this.reference(refId);
    if (!ref || end <= start) return [];
    const minOffset = this.minimumOffset(ref, start);
    const found: Chunk[] = [];
    for (const bin of overlappingBins(start, end)) {
      for (const c of ref.bins.get(bin) ?? []) {
        if (compareVirtualOffsets(c.end, minOffset) <= 0) continue;
        found.push(compareVirtualOffsets(c.begin, minOffset) < 0 ? { begin: minOffset, end: c.end } : c);
      }
    }
    return mergeChunks(found);
  }

  /**
   * Smallest virtual offset a record overlapping `start` can have: the
   * linear index entry of its 16 kb window (the last entry beyond the end;
   * zero entries, written by old indexers for empty windows, fall back to
   * the previous non-zero one, as htslib does).
   */
  private minimumOffset(ref: ReferenceIndex, start: number): VirtualOffset {
    const linear = ref.linear;
    if (linear.length === 0) return { block: 0, offset: 0 };
    let i = Math.min(start >> LINEAR_SHIFT, linear.length - 1);
    while (i > 0 && linear[i]!.block === 0 && linear[i]!.offset === 0) i--;
    return linear[i]!;
  }

  private reference(refId: number): ReferenceIndex | undefined {
    if (!Number.isInteger(refId) || refId < 0 || refId >= this.sections.length) return undefined;
    let ref = this.parsed.get(refId);
    if (!ref) {
      ref = this.decodeReference(this.sections[refId]!);
      this.parsed.set(refId, ref);
    }
    return ref;
  }

  private decodeReference(section: number): ReferenceIndex {
    const v = this.view;
    const bins = new Map<number, Chunk[]>();
    let mapped: number | null = null;
    let unmapped: number | null = null;
    let at = section;
    const nBin = v.getInt32(at, true);
    at += 4;
    for (let b = 0; b < nBin; b++) {
      const bin = v.getUint32(at, true);
      const nChunk = v.getInt32(at + 4, true);
      at += 8;
      if (bin === PSEUDO_BIN) {
        // Two pseudo-chunks: (ref_beg, ref_end) then (n_mapped, n_unmapped) as plain uint64.
        if (nChunk >= 2) {
          mapped = v.getUint32(at + 16, true) + v.getUint32(at + 20, true) * 2 ** 32;
          unmapped = v.getUint32(at + 24, true) + v.getUint32(at + 28, true) * 2 ** 32;
        }
        at += 16 * nChunk;
        continue;
      }
      const chunks: Chunk[] = [];
      for (let c = 0; c < nChunk; c++, at += 16) {
        chunks.push({ begin: readVirtualOffset(v, at), end: readVirtualOffset(v, at + 8) });
      }
      bins.set(bin, chunks);
    }
    const nIntv = v.getInt32(at, true);
    at += 4;
    const linear: VirtualOffset[] = [];
    for (let i = 0; i < nIntv; i++, at += 8) linear.push(readVirtualOffset(v, at));
    return { bins, linear, mapped, unmapped };
  }
}

/**
 * The bins (UCSC scheme, SAM spec §5.3 reg2bins) whose interval overlaps the
 * 0-based half-open [start, end): level 0 covers 512 Mb, then 64 Mb, 8 Mb,
 * 1 Mb, 128 kb and 16 kb.
 */
export function overlappingBins(start: number, end: number): number[] {
  const last = Math.min(end, BAI_MAX_POSITION) - 1;
  const first = Math.max(0, start);
  const bins = [0];
  if (last < first) return bins;
  // [first bin number of the level, shift]: 1 + (pos >> 26), 9 + (pos >> 23), ...
  for (const [offset, shift] of [
    [1, 26],
    [9, 23],
    [73, 20],
    [585, 17],
    [4681, 14],
  ] as const) {
    for (let k = offset + (first >> shift); k <= offset + (last >> shift); k++) bins.push(k);
  }
  return bins;
}

/**
 * Sorts chunks by start and merges those that overlap or touch, and those
 * that end and start in the same BGZF block (reading it once), as htslib does.
 */
export function mergeChunks(chunks: readonly Chunk[]): Chunk[] {
  const sorted = [...chunks].sort((a, b) => compareVirtualOffsets(a.begin, b.begin));
  const out: Chunk[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && (compareVirtualOffsets(c.begin, last.end) <= 0 || c.begin.block === last.end.block)) {
      if (compareVirtualOffsets(c.end, last.end) > 0) out[out.length - 1] = { begin: last.begin, end: c.end };
    } else {
      out.push(c);
    }
  }
  return out;
}
