/**
 * The length of an insertion too long for its clipped reads to bridge,
 * estimated from the read pairs around it. The scan keeps the recent pairs
 * in memory (splits.ts), so the estimate is made when the insertion's clip
 * sites settle, without reading the BAM again.
 *
 * A pair whose forward read ends left of the insertion, at distance d from
 * it, came from a fragment of length f ~ N(median, sd). On the inserted
 * haplotype (fraction g of the reads: 0.5 het, 1 hom):
 * - if its mate lies wholly inside the inserted sequence (d + readLength <=
 *   f <= d + L) the mate is unmapped;
 * - if the fragment reaches past the insertion, the mate maps right of it
 *   and the pair's apparent insert is f - L.
 * On the reference haplotype the mate maps normally with insert f. Mates
 * that stop short of the insertion point are equally likely on both
 * haplotypes and say nothing about L. Reverse
 * reads right of the insertion give the same unmapped-mate evidence from the
 * other side. The L that makes these observations most likely is the
 * estimate. Beyond about median + 3 sd the likelihood flattens (no fragment
 * is that long): then the smallest L within one log-likelihood unit of the
 * best is reported, flagged as a lower bound.
 */
import { FLAG } from '../bam/record';
import type { LibraryStats } from '../contracts';
import type { ReadView } from './types';

const MIN_MAPQ = 20;
/** Reads count only when they end within this many bp of the insertion and do not reach into it. */
const EDGE = 5;
/** Bases of a mate that may overlap a flank and still leave it unmapped (bwa needs ~20-30 to seed). */
const SEED = 20;
const STEP = 10;
const MAX_LENGTH = 5_000;

export interface InsertionSizeEstimate {
  /** Estimated inserted bases (when `lowerBound`, the smallest length within one log-likelihood unit of the best). */
  length: number;
  /** True when longer insertions explain the pairs as well: `length` is then a lower bound. */
  lowerBound: boolean;
  /** Reads whose mates are unmapped, and spanning pairs, that informed the estimate. */
  unmappedMates: number;
  spanningPairs: number;
}

function normalCdf(x: number): number {
  // Abramowitz-Stegun 7.1.26 through erf; |error| < 1.5e-7.
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export class InsertionSizer {
  /** Distances from the insertion of reads whose mates are unmapped. */
  private readonly unmapped: number[] = [];
  /** [distance, apparent insert] of forward reads left of the insertion whose mates reach past it. */
  private readonly spanning: [number, number][] = [];
  private readonly mu: number;
  private readonly sd: number;
  private readonly rl: number;

  /**
   * `left`: the position right after the left flank (the right-clip site);
   * `right`: the first base of the right flank (the left-clip site).
   */
  constructor(
    private readonly left: number,
    private readonly right: number,
    private readonly lowerBound: number,
    private readonly altFraction: number,
    library: LibraryStats,
  ) {
    this.mu = library.insertSizeMedian;
    this.sd = Math.max(1, library.insertSizeSd);
    this.rl = library.readLength;
  }

  /** The region to read: every pair that can inform the estimate starts in it. */
  get region(): [number, number] {
    const reach = Math.ceil(this.mu + 4 * this.sd);
    return [Math.max(0, this.left - reach), this.right + reach];
  }

  observe(r: ReadView): void {
    if (r.flags & (FLAG.unmapped | FLAG.secondary | FLAG.qcFail | FLAG.duplicate | FLAG.supplementary)) return;
    if (!(r.flags & FLAG.paired) || r.mapq < MIN_MAPQ) return;
    const reverse = (r.flags & FLAG.reverse) !== 0;
    if (!reverse && r.end <= this.left + EDGE && r.end > this.left - this.mu - 4 * this.sd) {
      const d = this.left - r.start;
      if (r.flags & FLAG.mateUnmapped) this.unmapped.push(d);
      // A mate that reaches SEED bases past the insertion point (straddling it on the reference
      // haplotype, right of the inserted sequence on the other): the pair's insert says how long it is.
      else if (r.next_refid === r.ref_id && r.flags & FLAG.mateReverse && r.tlen > d + SEED) this.spanning.push([d, r.tlen]);
    } else if (reverse && r.start >= this.right - EDGE && r.start < this.right + this.mu + 4 * this.sd) {
      if (r.flags & FLAG.mateUnmapped) this.unmapped.push(r.end - this.right);
    }
  }

  /** The estimate, or null when the library or the reads cannot say more than the lower bound. */
  estimate(): InsertionSizeEstimate | null {
    if (this.mu <= 0 || this.unmapped.length + this.spanning.length < 3) return null;
    const g = Math.min(1, Math.max(0.1, this.altFraction));
    const { mu, sd, rl } = this;
    const pdf = (x: number) => Math.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
    const cdf = (x: number) => normalCdf((x - mu) / sd);
    const lengths: number[] = [];
    const ll: number[] = [];
    for (let L = Math.max(STEP, Math.floor(this.lowerBound / STEP) * STEP); L <= MAX_LENGTH; L += STEP) {
      let sum = 0;
      for (const d of this.unmapped) sum += Math.log(g * Math.max(0, cdf(d + L + SEED) - cdf(d + rl - SEED)) + 1e-6);
      for (const [d, t] of this.spanning) {
        // Reference haplotype: any fragment whose mate reaches past the point (t = f). Inserted
        // haplotype: only fragments longer than d + L whose mates map right of it (t = f - L).
        const ref = t >= d + rl - SEED ? pdf(t) : 0;
        sum += Math.log((1 - g) * ref + g * pdf(t + L) + 1e-12);
      }
      lengths.push(L);
      ll.push(sum);
    }
    const best = Math.max(...ll);
    // Flat to the end: any longer insertion explains the pairs as well; report the shortest that does.
    const lowerBound = ll[ll.length - 1]! >= best - 1;
    const length = lengths[lowerBound ? ll.findIndex((x) => x >= best - 1) : ll.indexOf(best)]!;
    return { length, lowerBound, unmappedMates: this.unmapped.length, spanningPairs: this.spanning.length };
  }
}
