/**
 * The library profile of a genome: read length, insert-size distribution
 * (sampled from a few regions), and mean depth per contig from the index
 * alone (no read is decoded for that).
 */
import type { BamFile } from '@gmod/bam';
import type { ChromosomeBins } from '../cnv/karyotype';
import type { ContigCoverage, LibraryStats } from '../contracts';
import { normaliseChromosome } from '../genome/contigs';
import { MAD_TO_SD, median } from '../stats';
import { EXCLUDED_FLAGS, FLAG, type LeanRecord } from './record';
import { scanRegion } from './scan';

/** Reads below this mapping quality are not used to estimate the library. */
export const PROFILE_MIN_MAPQ = 20;
/** Inserts beyond this are SV evidence or mis-pairing, not library (bp). */
const MAX_PLAUSIBLE_INSERT = 10_000;
/** Accumulates library statistics from records. */
export class LibraryAccumulator {
  private readonly inserts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly spans: number[] = [];
  private reads = 0;
  private paired = 0;
  private withSequence = 0;

  add(r: LeanRecord): void {
    if (r.flags & EXCLUDED_FLAGS) return;
    this.reads++;
    if (r.seqLength > 0) {
      this.withSequence++;
      if (this.lengths.length < 100_000) this.lengths.push(r.seqLength);
    } else if (this.spans.length < 100_000) {
      // SEQ '*': the aligned span stands in for the read length.
      this.spans.push(r.end - r.start);
    }
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
      readLength: Math.round(median(this.lengths.length ? this.lengths : this.spans)),
      insertSizeMedian,
      insertSizeSd: mad * MAD_TO_SD,
      pairedFraction: this.reads === 0 ? 0 : this.paired / this.reads,
      sequenceFraction: this.reads === 0 ? 0 : this.withSequence / this.reads,
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
 * Samples up to `regions` stretches of `regionLength` bp where the index says
 * reads are (16 kb bins with data, spread evenly over all contigs), and
 * measures the library there. Works for whole genomes and for BAMs that hold
 * reads in a few small windows only (panels, demos).
 */
export async function sampleLibrary(
  bam: BamFile<LeanRecord>,
  bamName: string,
  coverage: ContigCoverage[],
  regions = 4,
  regionLength = 200_000,
): Promise<LibraryStats> {
  const acc = new LibraryAccumulator();
  const occupied: { contig: string; start: number }[] = [];
  for (let i = 0; i < coverage.length; i++) {
    if (coverage[i]!.mappedReads === 0 || !bam.index) continue;
    for (const bin of await bam.index.indexCov(i)) if (bin.score > 0) occupied.push({ contig: coverage[i]!.contig, start: bin.start });
  }
  const picks: { contig: string; start: number }[] = [];
  for (let k = 0; k < Math.min(regions, occupied.length); k++) {
    // Evenly spaced through the occupied bins, away from the very first and last.
    const p = occupied[Math.floor(((k + 0.5) * occupied.length) / regions)]!;
    if (!picks.some((q) => q.contig === p.contig && Math.abs(q.start - p.start) < regionLength)) picks.push(p);
  }
  for (const p of picks) {
    await scanRegion(bam, bamName, p.contig, p.start, p.start + regionLength, (r) => acc.add(r), { windowSize: regionLength });
  }
  return acc.result();
}

/**
 * Coverage of every primary chromosome in 16 kb bins from the BAI alone
 * (the compressed bytes between the linear index's offsets: goleft
 * indexcov's estimate, as @gmod/bam computes it), in reads per bin. No read
 * is decoded.
 *
 * @gmod/bam's indexCov scales a contig's bytes by its mapped reads over the
 * *absolute* file offset of its last window, not over the contig's own
 * bytes, so every contig after the first comes out shrunk by the bytes
 * before it (chromosome 21 of a whole genome at ~1/45 of chromosome 1).
 * The bins of each contig are therefore rescaled to sum to the contig's
 * mapped reads (the BAI's own count), which makes contigs comparable.
 */
export async function indexBins(bam: BamFile<LeanRecord>, contigs: { name: string; length: number }[]): Promise<ChromosomeBins[]> {
  const out: ChromosomeBins[] = [];
  if (!bam.index) return out;
  for (let i = 0; i < contigs.length; i++) {
    const chromosome = normaliseChromosome(contigs[i]!.name);
    if (chromosome === null || chromosome === 'M') continue;
    const entries = await bam.index.indexCov(i);
    const total = entries.reduce((a, e) => a + e.score, 0);
    const reads = await bam.index.lineCount(i);
    // No read count in the index (no pseudo-bin): no comparable scale, so no data.
    const scale = total > 0 && reads > 0 ? reads / total : 0;
    out.push({ chromosome, scores: entries.map((e) => e.score * scale) });
  }
  return out;
}
