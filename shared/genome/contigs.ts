/**
 * Contig names, reference builds and the split of chromosomes into work units.
 * BAMs name chromosome 1 `1` (GRCh37/b37) or `chr1` (hg19/GRCh38): names are
 * normalised here and nowhere else; the BAM's own name is kept for reading.
 */
import type { AnalysisSettings, WorkUnit } from '../contracts';

export const PRIMARY_CHROMOSOMES: readonly string[] = [
  ...Array.from({ length: 22 }, (_, i) => String(i + 1)),
  'X',
  'Y',
];

/** `chr1`/`1` → `1`, `chrX` → `X`, `chrM`/`MT`/`M` → `M`; anything else → null. */
export function normaliseChromosome(contig: string): string | null {
  const bare = contig.replace(/^chr/i, '');
  const upper = bare.toUpperCase();
  if (upper === 'M' || upper === 'MT') return 'M';
  if (upper === 'X' || upper === 'Y') return upper;
  if (/^[1-9]\d?$/.test(bare) && Number(bare) <= 22) return bare;
  return null;
}

/**
 * Primary-assembly lengths of chromosome 1 (bp), which differ between builds;
 * with chromosome X they identify the build. Source: the GRC assembly reports
 * (GRCh37.p13 and GRCh38.p14), `chr1` length column.
 */
const BUILD_SIGNATURES: readonly { build: string; lengths: Record<string, number> }[] = [
  { build: 'GRCh37', lengths: { '1': 249_250_621, '20': 63_025_520, X: 155_270_560, '21': 48_129_895 } },
  { build: 'GRCh38', lengths: { '1': 248_956_422, '20': 64_444_167, X: 156_040_895, '21': 46_709_983 } },
];

/**
 * The reference build from contig lengths, or null when no primary chromosome
 * has a known length (a panel, a slice, another species).
 */
export function detectBuild(contigs: readonly { name: string; length: number }[]): string | null {
  for (const sig of BUILD_SIGNATURES) {
    const hits = contigs.filter((c) => {
      const chrom = normaliseChromosome(c.name);
      return chrom !== null && sig.lengths[chrom] === c.length;
    });
    if (hits.length > 0) return sig.build;
  }
  return null;
}

export function namingStyle(contigs: readonly { name: string }[]): 'chr' | 'plain' | 'mixed' {
  const primary = contigs.filter((c) => normaliseChromosome(c.name) !== null);
  const withChr = primary.filter((c) => /^chr/i.test(c.name)).length;
  if (withChr === primary.length) return 'chr';
  if (withChr === 0) return 'plain';
  return 'mixed';
}

export interface ContigSelection {
  selected: { name: string; length: number; chromosome: string }[];
  skipped: string[];
}

/**
 * Contigs to analyse: primary chromosomes (and M if asked). When the BAM has no
 * primary chromosome at all (a panel or another species) every contig is
 * analysed under its own name, and the caller is warned.
 */
export function selectContigs(
  contigs: readonly { name: string; length: number }[],
  settings: Pick<AnalysisSettings, 'includeMitochondrial' | 'includeNonPrimary'>,
): ContigSelection {
  const selected: ContigSelection['selected'] = [];
  const skipped: string[] = [];
  const anyPrimary = contigs.some((c) => {
    const chrom = normaliseChromosome(c.name);
    return chrom !== null && chrom !== 'M';
  });
  for (const c of contigs) {
    const chrom = normaliseChromosome(c.name);
    if (chrom === 'M') {
      if (settings.includeMitochondrial) selected.push({ ...c, chromosome: 'M' });
      else skipped.push(c.name);
    } else if (chrom !== null) {
      selected.push({ ...c, chromosome: chrom });
    } else if (!anyPrimary || settings.includeNonPrimary) {
      selected.push({ ...c, chromosome: c.name });
    } else {
      skipped.push(c.name);
    }
  }
  return { selected, skipped };
}

/**
 * Splits each contig into windows of at most `windowSize` + overlap. Each unit
 * owns its core [coreStart, coreEnd); the cores tile the contig exactly, so a
 * call is kept by exactly one unit (the one whose core holds its start).
 */
export function planWorkUnits(
  contigs: readonly { name: string; length: number; chromosome: string }[],
  settings: Pick<AnalysisSettings, 'windowSize' | 'windowOverlap'>,
): WorkUnit[] {
  if (!(settings.windowSize > 0)) throw new RangeError(`windowSize must be > 0, got ${settings.windowSize}`);
  if (!(settings.windowOverlap >= 0)) throw new RangeError(`windowOverlap must be >= 0, got ${settings.windowOverlap}`);
  const units: WorkUnit[] = [];
  for (const c of contigs) {
    const n = Math.max(1, Math.ceil(c.length / settings.windowSize));
    for (let i = 0; i < n; i++) {
      const coreStart = i * settings.windowSize;
      const coreEnd = Math.min(c.length, (i + 1) * settings.windowSize);
      const start = Math.max(0, coreStart - settings.windowOverlap);
      const end = Math.min(c.length, coreEnd + settings.windowOverlap);
      units.push({ id: `${c.name}:${coreStart}-${coreEnd}`, contig: c.name, chromosome: c.chromosome, start, end, coreStart, coreEnd });
    }
  }
  return units;
}

/** Natural chromosome order for display: 1..22, X, Y, M, then others by name. */
export function chromosomeRank(chromosome: string): number {
  const i = PRIMARY_CHROMOSOMES.indexOf(chromosome);
  if (i >= 0) return i;
  if (chromosome === 'M') return PRIMARY_CHROMOSOMES.length;
  return PRIMARY_CHROMOSOMES.length + 1;
}
