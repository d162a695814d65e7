/**
 * Read depth in fixed bins, counted from read starts (MAPQ-filtered; duplicate,
 * secondary, QC-fail and supplementary reads excluded by the caller). The
 * reads that fail only the MAPQ filter are counted apart: where they are many,
 * the filtered depth is low because the reads map ambiguously (segmental
 * duplications, other repeats), not because a copy is lost.
 */

/** 100 bp: fine enough to see a 500 bp deletion, ~2.5 M bins on chromosome 1. */
export const DEPTH_BIN = 100;

export class DepthBins {
  readonly counts: Uint32Array;
  /** Reads per bin that failed only the MAPQ filter. */
  readonly lowMapq: Uint32Array;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly bin = DEPTH_BIN,
  ) {
    this.counts = new Uint32Array(Math.max(1, Math.ceil((end - start) / bin)));
    this.lowMapq = new Uint32Array(this.counts.length);
  }

  add(pos: number): void {
    DepthBins.bump(this.counts, this.binOf(pos));
  }

  /** A read that passed every filter but MAPQ. */
  addLowMapq(pos: number): void {
    DepthBins.bump(this.lowMapq, this.binOf(pos));
  }

  private binOf(pos: number): number {
    return Math.floor((pos - this.start) / this.bin);
  }

  private static bump(counts: Uint32Array, i: number): void {
    if (i >= 0 && i < counts.length) counts[i]!++;
  }

  /** The fraction of the reads over [from, to) that failed only the MAPQ filter; null without reads. */
  lowMapqFraction(from: number, to: number): number | null {
    const [a, b] = this.bins(from, to, false);
    let low = 0;
    let all = 0;
    for (let i = a; i < b; i++) {
      low += this.lowMapq[i]!;
      all += this.lowMapq[i]! + this.counts[i]!;
    }
    return all === 0 ? null : low / all;
  }

  /**
   * Mean count per bin over [from, to), clipped to the binned range; null when
   * empty. `within` keeps only the bins wholly inside, so an event's edges do
   * not borrow reads from its flanks.
   */
  mean(from: number, to: number, within = false): number | null {
    const [a, b] = this.bins(from, to, within);
    if (b <= a) return null;
    let sum = 0;
    for (let i = a; i < b; i++) sum += this.counts[i]!;
    return sum / (b - a);
  }

  /**
   * The bins [from, to) touches: their summed count, how many there are, and
   * how much of them lies inside [from, to), in bins (a bin half inside counts
   * 0.5). For events too small to hold a whole bin.
   */
  touching(from: number, to: number): { count: number; bins: number; inside: number } {
    const [a, b] = this.bins(from, to, false);
    let count = 0;
    let inside = 0;
    for (let i = a; i < b; i++) {
      count += this.counts[i]!;
      const lo = this.start + i * this.bin;
      inside += Math.max(0, Math.min(to, lo + this.bin) - Math.max(from, lo)) / this.bin;
    }
    return { count, bins: Math.max(0, b - a), inside };
  }

  /**
   * Mean count over the bins of [from, to) that hold at least one read, or
   * null when fewer than `minCovered` of its bins do. A bin without a single
   * read is no data (an assembly gap, an unmappable stretch, the edge of a
   * BAM cut to target regions), not a depth of zero.
   */
  coveredMean(from: number, to: number, minCovered: number): number | null {
    const [a, b] = this.bins(from, to, false);
    if (b <= a) return null;
    let sum = 0;
    let covered = 0;
    for (let i = a; i < b; i++) {
      const c = this.counts[i]!;
      if (c > 0) {
        sum += c;
        covered++;
      }
    }
    return covered === 0 || covered < minCovered * (b - a) ? null : sum / covered;
  }

  /**
   * The contig's typical depth: the median count over the bins that hold a
   * read (a bin without one is no data), or null when none does. Read after
   * the last add; computed once.
   */
  typical(): number | null {
    if (this.typicalCount === undefined) {
      // Counts are small integers: a histogram finds the median without sorting millions of bins.
      const histogram: number[] = [];
      let covered = 0;
      for (const c of this.counts) {
        if (c === 0) continue;
        histogram[c] = (histogram[c] ?? 0) + 1;
        covered++;
      }
      let seen = 0;
      this.typicalCount = null;
      for (let c = 1; covered > 0 && c < histogram.length; c++) {
        seen += histogram[c] ?? 0;
        if (seen > covered >> 1) {
          this.typicalCount = c;
          break;
        }
      }
    }
    return this.typicalCount;
  }

  private typicalCount: number | null | undefined;

  /** Bin indexes [a, b) over [from, to), clipped to the binned range: touching bins, or (`within`) whole ones. */
  private bins(from: number, to: number, within: boolean): [number, number] {
    const a = Math.max(0, (within ? Math.ceil : Math.floor)((from - this.start) / this.bin));
    const b = Math.min(this.counts.length, (within ? Math.floor : Math.ceil)((to - this.start) / this.bin));
    return [a, b];
  }
}

/**
 * Intervals (concordant fragments, reads) covering each bin wholly, from a
 * difference array: the evidence for the reference at a breakpoint.
 */
export class SpanCoverage {
  private readonly diff: Int32Array;
  private cover: Int32Array | null = null;

  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly bin = 100,
  ) {
    this.diff = new Int32Array(Math.max(1, Math.ceil((end - start) / bin)) + 1);
  }

  add(from: number, to: number): void {
    const a = Math.max(0, Math.ceil((from - this.start) / this.bin));
    const b = Math.min(this.diff.length - 1, Math.floor((to - this.start) / this.bin));
    if (b <= a) return;
    this.diff[a]!++;
    this.diff[b]!--;
  }

  /** Ends the adds: the differences become counts, in place (no second array of bins). */
  finish(): void {
    if (this.cover) return;
    let run = 0;
    for (let i = 0; i < this.diff.length; i++) {
      run += this.diff[i]!;
      this.diff[i] = run;
    }
    this.cover = this.diff;
  }

  /** Intervals spanning position `pos` (whole bins only; 0 before finish()). */
  spanning(pos: number): number {
    if (!this.cover || pos < this.start || pos >= this.end) return 0;
    return this.cover[Math.floor((pos - this.start) / this.bin)] ?? 0;
  }
}
