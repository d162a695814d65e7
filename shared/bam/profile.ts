/**
 * The library profile of a genome: read length, insert-size distribution
 * (sampled from a few regions), and mean depth per contig from the index
 * alone (no read is decoded for that).
 */
import type { BamFile } from '@gmod/bam';
import type { ContigCoverage, LibraryStats } from '../contracts';
import { normaliseChromosome } from '../genome/contigs';
import { EXCLUDED_FLAGS, FLAG, type LeanRecord } from './record';
import { scanRegion } from './scan';

/** Reads below this mapping quality are not used to estimate the library. */
export const PROFILE_MIN_MAPQ = 20;
/** Inserts beyond this are SV evidence or mis-pairing, not library (bp). */
const MAX_PLAUSIBLE_INSERT = 10_000;
/** MAD to standard deviation for a normal distribution. */
const MAD_TO_SD = 1.4826;

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Accumulates library statistics from records. */
export class LibraryAccumulator {
  private readonly inserts: number[] = [];
  private readonly lengths: number[] = [];
  private reads = 0;
  private paired = 0;

  add(r: LeanRecord): void {
    if (r.flags & EXCLUDED_FLAGS) return;
    this.reads++;
    if (r.seqLength > 0 && this.lengths.length < 100_000) this.lengths.push(r.seqLength);
    if (!(r.flags & FLAG.paired)) return;
    this.paired++;
    if (r.flags & FLAG.mateUnmapped || r.next_refid !== r.ref_id || r.mapq < PROFILE_MIN_MAPQ) return;
    // One observation per pair: the leftmost, forward read of an FR pair.
    const fr = !(r.flags & FLAG.reverse) && r.flags & FLAG.mateReverse;
    if (fr && r.tlen > 0 && r.tlen <= MAX_PLAUSIBLE_INSERT) this.inserts.push(r.tlen);
  }

  result(): LibraryStats {
    const insertSizeMedian = median(this.inserts);
    const mad = median(this.inserts.map((x) => Math.abs(x - insertSizeMedian)));
    return {
      readLength: Math.round(median(this.lengths)),
      insertSizeMedian,
      insertSizeSd: mad * MAD_TO_SD,
      pairedFraction: this.reads === 0 ? 0 : this.paired / this.reads,
      readsSampled: this.reads,
    };
  }
}

/** Mapped reads per contig from the index (BAI pseudo-bin), as mean depth. */
export async function coverageFromIndex(
  bam: BamFile<LeanRecord>,
  contigs: { name: string; length: number }[],
  readLength: number,
): Promise<ContigCoverage[]> {
  const out: ContigCoverage[] = [];
  for (let i = 0; i < contigs.length; i++) {
    const c = contigs[i]!;
    const mappedReads = bam.index ? await bam.index.lineCount(i) : 0;
    out.push({
      contig: c.name,
      chromosome: normaliseChromosome(c.name),
      length: c.length,
      mappedReads,
      meanDepth: c.length > 0 ? (mappedReads * readLength) / c.length : 0,
    });
  }
  return out;
}

/**
 * Samples up to `regions` stretches of `regionLength` bp spread over the
 * contigs that have the most reads, and measures the library there.
 */
export async function sampleLibrary(
  bam: BamFile<LeanRecord>,
  bamName: string,
  coverage: ContigCoverage[],
  regions = 4,
  regionLength = 200_000,
): Promise<LibraryStats> {
  const acc = new LibraryAccumulator();
  const withReads = coverage.filter((c) => c.mappedReads > 0).sort((a, b) => b.mappedReads - a.mappedReads);
  const picks: { contig: string; start: number }[] = [];
  for (let k = 0; k < regions && withReads.length > 0; k++) {
    const c = withReads[k % withReads.length]!;
    // Spread picks along the contig: at 1/3, 2/3, ... of its length.
    const slot = Math.floor(k / withReads.length) + 1;
    const start = Math.max(0, Math.floor((c.length * slot) / (Math.ceil(regions / withReads.length) + 1)) - regionLength / 2);
    picks.push({ contig: c.contig, start });
  }
  for (const p of picks) {
    await scanRegion(bam, bamName, p.contig, p.start, p.start + regionLength, (r) => acc.add(r), { windowSize: regionLength });
  }
  return acc.result();
}
