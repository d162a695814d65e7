/**
 * Copy number per chromosome and per arm, aneuploidies (with a mosaic
 * fraction) and the sex-chromosome karyotype from binned coverage — here the
 * BAI-only estimate (16 kb bins, like goleft indexcov), available seconds
 * after upload, long before the full scan ends. Method and limits:
 * docs/karyotype.md.
 *
 * Model: 16 kb bins are pooled into 1 Mb windows (the index resolves
 * coverage only to its BGZF blocks; a window spans many). The centre of all
 * autosomal windows (interquartile mean) is two copies. A region's copy
 * number is 2 x (the interquartile mean of its windows / that centre); its
 * standard error comes from the window-to-window spread. A gain of one copy
 * in a fraction f of cells gives CN = 2 + f; a loss, CN = 2 - f. A change is
 * called only when it is both large (|CN - 2| >= ANEUPLOIDY_DELTA) and well
 * outside the noise (>= MIN_Z standard errors); anything in between is said
 * to be not assessable in `notes` rather than guessed.
 */
import { CHROMOSOME_MAPS, type ChromosomeMap, type KaryotypeBuild } from '../genome/centromeres';
import { MAD_TO_SD, median } from '../stats';

export interface ChromosomeBins {
  /** Normalised name: 1..22, X, Y. */
  chromosome: string;
  /** Coverage score per 16 kb bin from position 0; bins without data (gaps) are 0. */
  scores: readonly number[];
}

export interface ChromosomeCopyNumber {
  chromosome: string;
  copyNumber: number;
  /** Bins with data the estimate rests on. */
  bins: number;
  /** Standard error of copyNumber, from the spread of its 1 Mb windows. */
  standardError?: number;
}

export interface ArmCopyNumber {
  chromosome: string;
  arm: 'p' | 'q';
  /** null: not assessable (see `reason`). */
  copyNumber: number | null;
  standardError: number | null;
  /** Bins with data the estimate rests on. */
  bins: number;
  reason?: string;
}

export interface Aneuploidy {
  chromosome: string;
  kind: 'trisomy' | 'monosomy' | 'gain' | 'loss';
  copyNumber: number;
  /** Fraction of cells carrying the change (1 = constitutional). */
  mosaicFraction: number;
}

/** A gain or loss of one arm while the other arm is unchanged (arm deletion, isochromosome...). */
export interface ArmEvent {
  chromosome: string;
  arm: 'p' | 'q';
  kind: 'gain' | 'loss';
  copyNumber: number;
  /** Fraction of cells carrying the change, for one copy gained or lost (1 = constitutional). */
  mosaicFraction: number;
}

export interface KaryotypeResult {
  chromosomes: ChromosomeCopyNumber[];
  /** Whole-chromosome changes only; arm-level ones are in `armEvents`. */
  aneuploidies: Aneuploidy[];
  /** e.g. XX, XY, X0, XXY, XYY; null when not assessable (see notes). */
  sexChromosomes: string | null;
  /** Why something could not be assessed. */
  notes: string[];
  /** Copy number per arm of 1..22 and X (absent: no build, so no centromeres). */
  arms?: ArmCopyNumber[];
  /** Arm-level gains and losses (never also reported as a whole-chromosome aneuploidy). */
  armEvents?: ArmEvent[];
  /** The reference build the arms were placed on; null when unknown. */
  build?: string | null;
}

/** The BAI linear index's window (bp). */
export const BIN_SIZE = 16_384;
/** Bins pooled per window: 64 x 16 kb = 1 Mb. */
export const WINDOW_BINS = 64;
/** Fewer windows with data than this (10 Mb) and a chromosome or arm is not assessed. */
export const MIN_WINDOWS = 10;
/**
 * |CN - 2| from which a change is called: a 20 % mosaic. Between euploid
 * chromosomes of a 30x genome the index estimate varies by a few hundredths,
 * so this leaves a wide margin against false calls.
 */
export const ANEUPLOIDY_DELTA = 0.2;
/** And the change must be this many standard errors from 2 copies (noisy data: no call, a note). */
export const MIN_Z = 4;
/** From this deviation on, the change is taken as constitutional (all cells). */
const CONSTITUTIONAL_DELTA = 0.85;
/** More autosomal 1 Mb windows without any data than this and the index is too coarse to use. */
const MAX_EMPTY_WINDOWS = 0.1;
/**
 * The index only sees BGZF blocks: a 16 kb bin has data where a block
 * starts. With fewer bins with data than this per 1 Mb window (median), a
 * window holds a handful of blocks, its value is quantised to whole blocks
 * and the window spread no longer measures the noise: not assessed. (A 30x
 * genome has data in all 64.)
 */
const MIN_BINS_PER_WINDOW = 8;
/** X (and Y) must be this close to a whole number of copies to be called. */
const SEX_TOLERANCE = 0.2;
const Y_TOLERANCE = 0.3;
/** Standard error of an interquartile mean relative to a mean's (efficiency ~0.84 for normal data). */
const IQM_SE_FACTOR = 1.1;

/** Short arms of these are rDNA and satellite repeats, absent from the assembly: not assessable. */
const ACROCENTRIC = new Set(['13', '14', '15', '21', '22']);

/**
 * Pseudoautosomal regions (GRC), 0-based half-open: shared by X and Y, so
 * their reads say nothing about either; masked on both.
 */
const PARS: Record<KaryotypeBuild, Record<'X' | 'Y', readonly (readonly [number, number])[]>> = {
  GRCh37: {
    X: [
      [60_000, 2_699_520],
      [154_931_043, 155_260_560],
    ],
    Y: [
      [10_000, 2_649_520],
      [59_034_049, 59_363_566],
    ],
  },
  GRCh38: {
    X: [
      [10_000, 2_781_479],
      [155_701_382, 156_030_895],
    ],
    Y: [
      [10_000, 2_781_479],
      [56_887_902, 57_217_415],
    ],
  },
};

interface Window {
  /** Mean score of its unmasked bins. */
  value: number;
  /** Bins with data. */
  bins: number;
}

interface Estimate {
  copyNumber: number;
  standardError: number;
  bins: number;
  windows: number;
}

/** Interquartile mean: the mean of the middle half (robust to outlier windows, near a mean's precision). */
function iqm(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const lo = Math.floor(s.length / 4);
  const hi = Math.max(lo + 1, s.length - lo);
  let sum = 0;
  for (let i = lo; i < hi; i++) sum += s[i]!;
  return sum / (hi - lo);
}

function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${Math.round(x * 100)} %`;

function isKnownBuild(build: string | null | undefined): build is KaryotypeBuild {
  return build === 'GRCh37' || build === 'GRCh38';
}

/**
 * 1 Mb windows over bins [fromBin, toBin), skipping masked bins; a window
 * with fewer than half its bins unmasked is dropped. Bins past the end of
 * `scores` (the index stops at the last read) count as empty.
 */
function windowsOf(scores: readonly number[], fromBin: number, toBin: number, masked: readonly (readonly [number, number])[]): Window[] {
  const out: Window[] = [];
  for (let w = fromBin; w < toBin; w += WINDOW_BINS) {
    let sum = 0;
    let used = 0;
    let bins = 0;
    for (let b = w; b < Math.min(w + WINDOW_BINS, toBin); b++) {
      const start = b * BIN_SIZE;
      if (masked.some(([s, e]) => start < e && start + BIN_SIZE > s)) continue;
      const v = scores[b] ?? 0;
      sum += v;
      used++;
      if (v > 0) bins++;
    }
    if (used >= WINDOW_BINS / 2) out.push({ value: sum / used, bins });
  }
  return out;
}

/**
 * Copy number per chromosome and arm with aneuploidy calls. `build`
 * (GRCh37/GRCh38) places the arms and masks centromeres, heterochromatin and
 * the pseudoautosomal regions; without it only whole chromosomes are
 * assessed, and a note says so.
 */
export function karyotype(input: readonly ChromosomeBins[], build?: string | null): KaryotypeResult {
  const notes: string[] = [];
  const maps: Readonly<Record<string, ChromosomeMap>> | null = isKnownBuild(build) ? CHROMOSOME_MAPS[build] : null;
  const pars = isKnownBuild(build) ? PARS[build] : null;
  if (!maps) {
    notes.push(
      build
        ? `reference build ${build} has no centromere map: copy number per arm not assessed (whole chromosomes only)`
        : 'reference build not given: copy number per arm not assessed (whole chromosomes only)',
    );
  }
  const notAssessed = (why: string): KaryotypeResult => ({
    chromosomes: [],
    aneuploidies: [],
    sexChromosomes: null,
    notes: [...notes, why],
    ...(maps ? { arms: [], armEvents: [] } : {}),
    build: build ?? null,
  });

  // 1. Windows per chromosome: p arm, q arm (or the whole chromosome without a map).
  interface Layout {
    chromosome: string;
    p: Window[] | null;
    q: Window[];
    /** Why p is not assessable, when it is not. */
    pReason?: string;
  }
  const layouts: Layout[] = [];
  for (const c of input) {
    const map = maps?.[c.chromosome];
    if (!map) {
      layouts.push({ chromosome: c.chromosome, p: null, q: windowsOf(c.scores, 0, c.scores.length, []) });
      continue;
    }
    const masked = [map.centromere, ...map.heterochromatin, ...(c.chromosome === 'X' || c.chromosome === 'Y' ? pars![c.chromosome] : [])];
    const nBins = Math.ceil(map.length / BIN_SIZE);
    const cenStart = Math.floor(map.centromere[0] / BIN_SIZE);
    const cenEnd = Math.ceil(map.centromere[1] / BIN_SIZE);
    const q = windowsOf(c.scores, cenEnd, nBins, masked);
    if (ACROCENTRIC.has(c.chromosome)) {
      layouts.push({ chromosome: c.chromosome, p: null, q, pReason: 'acrocentric: the short arm (rDNA, satellites) is not in the reference assembly' });
    } else {
      layouts.push({ chromosome: c.chromosome, p: windowsOf(c.scores, 0, cenStart, masked), q });
    }
  }
  const isAutosome = (c: string) => /^\d+$/.test(c);
  const withData = (ws: readonly Window[]) => ws.filter((w) => w.value > 0);
  const allWindows = (l: Layout) => [...(l.p ?? []), ...l.q];

  // 2. The two-copy baseline and the window noise, from all autosomal windows.
  const autosomal = layouts.filter((l) => isAutosome(l.chromosome));
  const autoWindows = autosomal.flatMap(allWindows);
  const autoData = withData(autoWindows);
  const usable = autosomal.filter((l) => withData(allWindows(l)).length >= MIN_WINDOWS);
  const baseline = iqm(autoData.map((w) => w.value));
  if (usable.length < 2 || baseline <= 0) {
    return notAssessed('too few autosomes with coverage to set the two-copy baseline: copy number not assessed');
  }
  const empty = 1 - autoData.length / autoWindows.length;
  if (empty > MAX_EMPTY_WINDOWS) {
    return notAssessed(
      `${pct(empty)} of the autosomal 1 Mb windows have no data in the index (low coverage, a partial genome, or large compressed blocks): ` +
        'the index is too coarse for copy number, which is not assessed',
    );
  }
  const binsPerWindow = median(autoData.map((w) => w.bins));
  if (binsPerWindow < MIN_BINS_PER_WINDOW) {
    return notAssessed(
      `the index resolves too little: a median of ${binsPerWindow} of the ${WINDOW_BINS} bins per 1 Mb window have data (at least ${MIN_BINS_PER_WINDOW} needed; ` +
        'low coverage or large compressed blocks): copy number not assessed',
    );
  }
  /** Per-window standard deviation in copies. */
  const windowSd = (2 * MAD_TO_SD * mad(autoData.map((w) => w.value))) / baseline;

  const estimate = (ws: readonly Window[]): Estimate => {
    const values = ws.map((w) => w.value);
    const local = (2 * MAD_TO_SD * mad(values)) / baseline;
    // The larger of the genome-wide and the region's own spread: a region with a partial change is noisier.
    const sd = Math.max(windowSd, local);
    return {
      copyNumber: (2 * iqm(values)) / baseline,
      standardError: (IQM_SE_FACTOR * sd) / Math.sqrt(ws.length),
      bins: ws.reduce((a, w) => a + w.bins, 0),
      windows: ws.length,
    };
  };
  /** A change of `delta` copies with standard error `se` is called. */
  const significant = (delta: number, se: number) => Math.abs(delta) >= ANEUPLOIDY_DELTA && Math.abs(delta) >= MIN_Z * se;
  const mosaic = (delta: number) => (Math.abs(delta) >= CONSTITUTIONAL_DELTA ? 1 : round2(Math.min(1, Math.abs(delta))));
  /** Regions whose noise hides mosaics at ANEUPLOIDY_DELTA: name -> smallest detectable change. */
  const insensitive: string[] = [];
  const blind: string[] = [];
  const checkSensitivity = (name: string, e: Estimate) => {
    const detectable = MIN_Z * e.standardError;
    if (detectable >= 1) blind.push(name);
    else if (detectable > ANEUPLOIDY_DELTA) insensitive.push(`${name} (${pct(detectable)})`);
  };
  const borderline = (name: string, e: Estimate) =>
    notes.push(
      `${name}: copy number ${round2(e.copyNumber)} ± ${round2(e.standardError)} is off 2 but not clearly beyond the noise: could not assess`,
    );

  const chromosomes: ChromosomeCopyNumber[] = [];
  const arms: ArmCopyNumber[] = [];
  const aneuploidies: Aneuploidy[] = [];
  const armEvents: ArmEvent[] = [];
  const armEntry = (chromosome: string, arm: 'p' | 'q', ws: Window[] | null, reason?: string): Estimate | null => {
    const data = ws ? withData(ws) : [];
    if (ws === null || data.length < MIN_WINDOWS) {
      arms.push({
        chromosome,
        arm,
        copyNumber: null,
        standardError: null,
        bins: data.reduce((a, w) => a + w.bins, 0),
        reason: reason ?? `${data.length} windows of 1 Mb with data, fewer than ${MIN_WINDOWS}`,
      });
      return null;
    }
    const e = estimate(data);
    arms.push({ chromosome, arm, copyNumber: round2(e.copyNumber), standardError: round2(e.standardError), bins: e.bins });
    return e;
  };

  // 3. Autosomes: whole chromosome or arms.
  const acrocentricSeen: string[] = [];
  for (const l of layouts) {
    if (l.chromosome === 'Y') continue;
    const data = withData(allWindows(l));
    if (data.length < MIN_WINDOWS) {
      notes.push(`chromosome ${l.chromosome}: ${data.length} windows of 1 Mb with data, too few to assess`);
      continue;
    }
    const whole = estimate(data);
    chromosomes.push({
      chromosome: l.chromosome,
      copyNumber: round2(whole.copyNumber),
      bins: whole.bins,
      standardError: round2(whole.standardError),
    });
    const p = maps ? armEntry(l.chromosome, 'p', l.p, l.pReason) : null;
    const q = maps ? armEntry(l.chromosome, 'q', l.q) : null;
    if (!isAutosome(l.chromosome)) continue;
    if (l.pReason) acrocentricSeen.push(l.chromosome);
    const armsDiffer = p !== null && q !== null && significant(p.copyNumber - q.copyNumber, Math.hypot(p.standardError, q.standardError));
    if (armsDiffer) {
      // One arm changed against the other: arm events, never a whole-chromosome call.
      const changed: ArmEvent[] = [];
      for (const [arm, e] of [['p', p], ['q', q]] as const) {
        checkSensitivity(`${l.chromosome}${arm}`, e);
        const delta = e.copyNumber - 2;
        if (significant(delta, e.standardError)) {
          changed.push({ chromosome: l.chromosome, arm, kind: delta > 0 ? 'gain' : 'loss', copyNumber: round2(e.copyNumber), mosaicFraction: mosaic(delta) });
        } else if (Math.abs(delta) >= ANEUPLOIDY_DELTA) borderline(`${l.chromosome}${arm}`, e);
      }
      armEvents.push(...changed);
      if (changed.length === 2 && changed[0]!.kind !== changed[1]!.kind) {
        const gained = changed.find((e) => e.kind === 'gain')!.arm;
        notes.push(`chromosome ${l.chromosome}: ${gained} arm gained and the other lost, as an isochromosome i(${l.chromosome}${gained}) would do`);
      }
      if (changed.length === 0) notes.push(`chromosome ${l.chromosome}: its arms differ (p ${round2(p.copyNumber)}, q ${round2(q.copyNumber)}) but neither is clearly off 2 copies: could not assess`);
      continue;
    }
    checkSensitivity(`chromosome ${l.chromosome}`, whole);
    const delta = whole.copyNumber - 2;
    if (significant(delta, whole.standardError)) {
      aneuploidies.push({
        chromosome: l.chromosome,
        // A whole extra or missing copy is a trisomy / monosomy; more than one, a gain / loss.
        kind: Math.abs(delta) <= 1.5 ? (delta > 0 ? 'trisomy' : 'monosomy') : delta > 0 ? 'gain' : 'loss',
        copyNumber: round2(whole.copyNumber),
        mosaicFraction: mosaic(delta),
      });
    } else if (Math.abs(delta) >= ANEUPLOIDY_DELTA) borderline(`chromosome ${l.chromosome}`, whole);
  }
  if (acrocentricSeen.length > 0) {
    notes.push(
      `short arms of ${acrocentricSeen.join(', ')} (acrocentric) are not assessable; these chromosomes are judged on their long arm, ` +
        'so a long-arm gain (e.g. an unbalanced Robertsonian translocation) looks like a trisomy',
    );
  }
  if (insensitive.length > 0) {
    notes.push(`too noisy to see mosaics below the stated fraction of cells (20 % elsewhere) on: ${insensitive.join(', ')}`);
  }
  if (blind.length > 0) notes.push(`too noisy to assess even a whole-copy change on: ${blind.join(', ')}`);

  // 4. Sex chromosomes.
  const sexChromosomes = sexKaryotype();
  function sexKaryotype(): string | null {
    const x = chromosomes.find((c) => c.chromosome === 'X');
    if (!x || x.standardError === undefined) {
      notes.push('chromosome X has too little coverage: sex chromosomes not assessed');
      return null;
    }
    const yLayout = layouts.find((l) => l.chromosome === 'Y');
    let yCopy = 0;
    let ySe = 0;
    if (yLayout) {
      // With a map, Y is judged on its male-specific euchromatin, empty windows included (no Y = no reads).
      // Without one, on its windows with data (its heterochromatin is unsequenced in both sexes).
      const ws = maps ? allWindows(yLayout) : withData(allWindows(yLayout));
      if (ws.length >= (maps ? MIN_WINDOWS : 3)) {
        const y = estimate(ws);
        yCopy = y.copyNumber;
        ySe = y.standardError;
        chromosomes.push({ chromosome: 'Y', copyNumber: round2(y.copyNumber), bins: y.bins, standardError: round2(y.standardError) });
      }
      if (!maps) notes.push('without the reference build, Y is judged on its windows with data: stray reads in a female could look like a Y');
    }
    for (const [name, cn, se] of [['X', x.copyNumber, x.standardError], ['Y', yCopy, ySe]] as const) {
      if (MIN_Z * se > 0.5) {
        notes.push(`chromosome ${name}: copy number ${round2(cn)} ± ${round2(se)} is too noisy to count copies: sex chromosomes not assessed`);
        return null;
      }
    }
    const xp = arms.find((a) => a.chromosome === 'X' && a.arm === 'p');
    const xq = arms.find((a) => a.chromosome === 'X' && a.arm === 'q');
    if (xp?.copyNumber != null && xq?.copyNumber != null && xp.standardError != null && xq.standardError != null) {
      if (significant(xp.copyNumber - xq.copyNumber, Math.hypot(xp.standardError, xq.standardError))) {
        notes.push(`X arms differ (p ${xp.copyNumber}, q ${xq.copyNumber}): an X structural change (e.g. an isochromosome Xq); sex chromosomes not called`);
        return null;
      }
    }
    const xCopies = Math.round(x.copyNumber);
    if (xCopies < 1 || Math.abs(x.copyNumber - xCopies) > SEX_TOLERANCE) {
      notes.push(
        `chromosome X at ${x.copyNumber} copies, between whole copies: a sex-chromosome mosaic (e.g. 45,X/46,XX) or a partial X change; sex chromosomes not called`,
      );
      return null;
    }
    const yCopies = Math.round(yCopy);
    if (Math.abs(yCopy - yCopies) > Y_TOLERANCE) {
      notes.push(
        `chromosome Y at ${round2(yCopy)} copies, between whole copies: mosaic loss of Y, a 45,X/46,XY mosaic or a mixed sample; sex chromosomes not called`,
      );
      return null;
    }
    return 'X'.repeat(xCopies) + ('Y'.repeat(yCopies) || (xCopies === 1 ? '0' : ''));
  }

  return {
    chromosomes,
    aneuploidies,
    sexChromosomes,
    notes,
    ...(maps ? { arms, armEvents } : {}),
    build: build ?? null,
  };
}
