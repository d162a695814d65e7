/**
 * Copy number per chromosome, aneuploidies (with a mosaic fraction) and the
 * sex-chromosome karyotype from binned coverage — here the BAI-only
 * estimate (16 kb bins, like goleft indexcov), available seconds after
 * upload, long before the full scan ends.
 *
 * Model: the median bin of the autosomes is two copies. A chromosome's copy
 * number is 2 x (its median bin / that median). A gain of one copy in a
 * fraction f of cells gives CN = 2 + f; a loss, CN = 2 - f.
 */

export interface ChromosomeBins {
  /** Normalised name: 1..22, X, Y. */
  chromosome: string;
  /** Coverage score per bin; bins without data (gaps) are 0 and ignored. */
  scores: readonly number[];
}

export interface ChromosomeCopyNumber {
  chromosome: string;
  copyNumber: number;
  /** Bins with data the estimate rests on. */
  bins: number;
}

export interface Aneuploidy {
  chromosome: string;
  kind: 'trisomy' | 'monosomy' | 'gain' | 'loss';
  copyNumber: number;
  /** Fraction of cells carrying the change (1 = constitutional). */
  mosaicFraction: number;
}

export interface KaryotypeResult {
  chromosomes: ChromosomeCopyNumber[];
  aneuploidies: Aneuploidy[];
  /** e.g. XX, XY, X0, XXY, XYY; null when X is not assessable. */
  sexChromosomes: string | null;
  /** Why something could not be assessed. */
  notes: string[];
}

/** Fewer bins with data than this (1.6 Mb at 16 kb) and a chromosome is not assessed. */
export const MIN_BINS = 100;
/**
 * |CN - 2| from which an autosome is called aneuploid: a 20% mosaic. The
 * median over thousands of index bins varies by a few hundredths between
 * euploid chromosomes, so this leaves a wide margin against false calls.
 */
export const ANEUPLOIDY_DELTA = 0.2;
/** From this deviation on, the change is taken as constitutional (all cells). */
const CONSTITUTIONAL_DELTA = 0.85;

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function karyotype(input: readonly ChromosomeBins[]): KaryotypeResult {
  const notes: string[] = [];
  const withData = input.map((c) => ({ chromosome: c.chromosome, scores: c.scores.filter((s) => s > 0) }));
  const autosomes = withData.filter((c) => /^\d+$/.test(c.chromosome) && c.scores.length >= MIN_BINS);
  // The baseline: median bin over all assessable autosomes together.
  const baseline = median(autosomes.flatMap((c) => c.scores));
  if (autosomes.length < 2 || baseline <= 0) {
    return {
      chromosomes: [],
      aneuploidies: [],
      sexChromosomes: null,
      notes: ['too few autosomes with coverage to set the two-copy baseline: copy number not assessed'],
    };
  }
  const chromosomes: ChromosomeCopyNumber[] = [];
  for (const c of withData) {
    if (c.scores.length < MIN_BINS) {
      if (c.chromosome !== 'Y') notes.push(`chromosome ${c.chromosome}: ${c.scores.length} bins with data, too few to assess`);
      continue;
    }
    chromosomes.push({ chromosome: c.chromosome, copyNumber: round2((2 * median(c.scores)) / baseline), bins: c.scores.length });
  }
  const aneuploidies: Aneuploidy[] = [];
  for (const c of chromosomes) {
    if (!/^\d+$/.test(c.chromosome)) continue;
    const delta = c.copyNumber - 2;
    if (Math.abs(delta) < ANEUPLOIDY_DELTA) continue;
    const constitutional = Math.abs(delta) >= CONSTITUTIONAL_DELTA;
    const gain = delta > 0;
    aneuploidies.push({
      chromosome: c.chromosome,
      // A whole extra or missing copy is a trisomy / monosomy; more than one, a gain / loss.
      kind: Math.abs(delta) <= 1.5 ? (gain ? 'trisomy' : 'monosomy') : gain ? 'gain' : 'loss',
      copyNumber: c.copyNumber,
      mosaicFraction: constitutional ? 1 : round2(Math.abs(delta)),
    });
  }
  const x = chromosomes.find((c) => c.chromosome === 'X');
  const yBins = withData.find((c) => c.chromosome === 'Y');
  let sexChromosomes: string | null = null;
  if (!x) {
    notes.push('chromosome X has too little coverage: sex chromosomes not assessed');
  } else {
    const xCopies = Math.max(1, Math.round(x.copyNumber));
    // Y is mostly unmappable: judge it on its bins with data; none at all means no Y.
    const yCopy = yBins && yBins.scores.length > 0 ? (2 * median(yBins.scores)) / baseline : 0;
    const yCopies = yBins && yBins.scores.length >= MIN_BINS / 4 ? Math.round(yCopy) : 0;
    if (yBins && yBins.scores.length >= MIN_BINS / 4) chromosomes.push({ chromosome: 'Y', copyNumber: round2(yCopy), bins: yBins.scores.length });
    sexChromosomes = 'X'.repeat(xCopies) + ('Y'.repeat(yCopies) || (xCopies === 1 ? '0' : ''));
  }
  return { chromosomes, aneuploidies, sexChromosomes, notes };
}
