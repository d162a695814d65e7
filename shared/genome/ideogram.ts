/**
 * The chromosomes a sample is drawn on (the workspace's karyogram, copy-number
 * plot and read view): for a known human build, its primary chromosomes with
 * lengths and centromeres; otherwise the contigs of the BAM header. Pure.
 */
import type { GenomeProfile } from '../contracts';
import { CHROMOSOME_MAPS, type KaryotypeBuild } from './centromeres';
import { normaliseChromosome, PRIMARY_CHROMOSOMES } from './contigs';

export interface GenomeChromosome {
  /** Normalised name (1..22, X, Y) for human builds; the contig name otherwise. */
  name: string;
  /** The contig's name in the BAM header (null: not in the BAM). */
  contig: string | null;
  length: number;
  /** [start, end) of the centromere, 0-based; null when unknown. */
  centromere: [number, number] | null;
  /** Mean depth from the BAM index; null when unknown. */
  meanDepth: number | null;
}

/** At most this many header contigs are drawn for a non-human or unknown build (the longest). */
export const MAX_HEADER_CONTIGS = 40;

export function genomeChromosomes(build: string | null, profile: GenomeProfile | undefined): { source: 'build' | 'header' | 'none'; chromosomes: GenomeChromosome[] } {
  const contigs = profile?.contigs ?? [];
  const depth = new Map((profile?.coverage ?? []).map((c) => [c.contig, c.meanDepth]));
  const map = build && build in CHROMOSOME_MAPS ? CHROMOSOME_MAPS[build as KaryotypeBuild] : undefined;
  if (map) {
    const byChromosome = new Map<string, string>();
    for (const c of contigs) {
      const n = normaliseChromosome(c.name);
      if (n && !byChromosome.has(n)) byChromosome.set(n, c.name);
    }
    return {
      source: 'build',
      chromosomes: PRIMARY_CHROMOSOMES.filter((c) => map[c]).map((c) => {
        const contig = byChromosome.get(c) ?? null;
        return {
          name: c,
          contig,
          length: map[c]!.length,
          centromere: [map[c]!.centromere[0], map[c]!.centromere[1]],
          meanDepth: contig !== null ? (depth.get(contig) ?? null) : null,
        };
      }),
    };
  }
  if (contigs.length === 0) return { source: 'none', chromosomes: [] };
  const keep = new Set(
    [...contigs]
      .filter((c) => normaliseChromosome(c.name) !== 'M')
      .sort((a, b) => b.length - a.length)
      .slice(0, MAX_HEADER_CONTIGS)
      .map((c) => c.name),
  );
  return {
    source: 'header',
    chromosomes: contigs
      .filter((c) => keep.has(c.name))
      .map((c) => ({ name: c.name, contig: c.name, length: c.length, centromere: null, meanDepth: depth.get(c.name) ?? null })),
  };
}
