/** Findings about a genome that do not stop the analysis but change what it can say. */
import type { ContigCoverage, LibraryStats } from './contracts';
import type { ContigSelection } from './genome/contigs';

/** Below this genome-wide depth, deletions and depth changes are often missed. */
export const LOW_COVERAGE = 10;
/** Below this fraction of paired reads, read-pair evidence is unreliable. */
const MIN_PAIRED_FRACTION = 0.5;

export function profileWarnings(p: {
  bamName: string;
  build: string | null;
  library: LibraryStats;
  coverage: ContigCoverage[];
  selection: ContigSelection;
}): string[] {
  const w: string[] = [];
  if (p.build === null) {
    w.push(
      `${p.bamName}: its contigs match no known human reference build (GRCh37, GRCh38); it is analysed on its ${p.selection.selected.length} contig(s) as named, and build-dependent features (gene annotation, karyotype) are unavailable`,
    );
  }
  if (p.library.readsSampled === 0) {
    w.push(`${p.bamName}: no usable reads were found in the sampled regions; the library could not be measured`);
  } else if (p.library.pairedFraction < MIN_PAIRED_FRACTION) {
    w.push(
      `${p.bamName}: only ${(p.library.pairedFraction * 100).toFixed(0)}% of reads are paired; deletions from read pairs cannot be called reliably`,
    );
  }
  if (p.library.readsSampled > 0 && p.library.sequenceFraction < MIN_PAIRED_FRACTION) {
    w.push(
      `${p.bamName}: ${(100 * (1 - p.library.sequenceFraction)).toFixed(0)}% of reads carry no sequence (SEQ '*'); evidence that needs bases (split reads, soft clips, insertions) is unavailable, pairs and depth are still used`,
    );
  }
  const selected = new Set(p.selection.selected.map((s) => s.name));
  const analysed = p.coverage.filter((c) => selected.has(c.contig));
  const bases = analysed.reduce((a, c) => a + c.length, 0);
  const depth = bases > 0 ? analysed.reduce((a, c) => a + c.meanDepth * c.length, 0) / bases : 0;
  if (depth > 0 && depth < LOW_COVERAGE) {
    w.push(`${p.bamName}: mean depth ${depth.toFixed(1)}x is below ${LOW_COVERAGE}x; small deletions may be missed`);
  }
  const empty = analysed.filter((c) => c.mappedReads === 0).map((c) => c.contig);
  if (empty.length > 0 && empty.length < analysed.length) {
    w.push(`${p.bamName}: no reads on ${empty.join(', ')}; nothing can be called there`);
  } else if (empty.length === analysed.length && analysed.length > 0) {
    w.push(`${p.bamName}: the index reports no mapped reads at all`);
  }
  return w;
}

/**
 * The same message from many work units, once: "UNIT: message" warnings that
 * differ only in their unit become "message (units A, B and 3 more)". Others
 * are kept as they are, in order.
 */
export function collapseUnitWarnings(warnings: readonly string[], shown = 3): string[] {
  // In first-seen order: a plain warning, or one message with the units that gave it.
  const out: (string | { message: string; units: string[] })[] = [];
  const byMessage = new Map<string, { message: string; units: string[] }>();
  for (const w of warnings) {
    const m = /^(\S+:\d+-\d+): (.+)$/s.exec(w);
    if (!m) {
      out.push(w);
      continue;
    }
    const [, unit, message] = m as unknown as [string, string, string];
    let group = byMessage.get(message);
    if (!group) {
      group = { message, units: [] };
      byMessage.set(message, group);
      out.push(group);
    }
    group.units.push(unit);
  }
  return out.map((w) => {
    if (typeof w === 'string') return w;
    if (w.units.length === 1) return `${w.units[0]}: ${w.message}`;
    const more = w.units.length > shown ? ` and ${w.units.length - shown} more` : '';
    return `${w.message} (work units ${w.units.slice(0, shown).join(', ')}${more})`;
  });
}
