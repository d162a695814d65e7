/**
 * Merging the calls of all work units: duplicates from overlapping windows
 * are removed, breakend mates are linked across chromosomes, and the result
 * is in genome order.
 */
import type { SvCall } from './contracts';

/** Two calls of one type whose both ends lie this close are one event (bp). */
export const DUPLICATE_TOLERANCE = 100;

function support(c: SvCall): number {
  return c.pairedEnd + c.splitReads;
}

/**
 * Keeps one call per event: among calls of the same type on the same contig
 * whose starts and ends are within `tolerance`, the best supported wins.
 */
export function removeDuplicates(calls: SvCall[], tolerance = DUPLICATE_TOLERANCE): SvCall[] {
  const sorted = [...calls].sort((a, b) => (a.chrom < b.chrom ? -1 : a.chrom > b.chrom ? 1 : a.start - b.start));
  const kept: SvCall[] = [];
  for (const c of sorted) {
    let dup = -1;
    for (let i = kept.length - 1; i >= 0; i--) {
      const k = kept[i]!;
      if (k.chrom !== c.chrom || c.start - k.start > tolerance) break;
      if (k.type === c.type && Math.abs(k.end - c.end) <= tolerance) {
        dup = i;
        break;
      }
    }
    if (dup < 0) kept.push(c);
    else if (support(c) > support(kept[dup]!)) kept[dup] = c;
  }
  return kept;
}

/**
 * Links breakend (BND) calls to their mates: a BND whose mate position matches
 * another BND pointing back (within `tolerance`) gets that call's id as its
 * mate id. Unpaired breakends are returned as they are and listed.
 */
export function pairBreakends(calls: SvCall[], tolerance = DUPLICATE_TOLERANCE): { calls: SvCall[]; unpaired: string[] } {
  const bnds = calls.filter((c) => c.type === 'BND' && c.mate);
  const unpaired: string[] = [];
  const byId = new Map<string, SvCall>();
  for (const c of bnds) {
    const mate = bnds.find(
      (o) =>
        o !== c &&
        o.chrom === c.mate!.chrom &&
        Math.abs(o.start - c.mate!.pos) <= tolerance &&
        o.mate!.chrom === c.chrom &&
        Math.abs(o.mate!.pos - c.start) <= tolerance,
    );
    if (mate) byId.set(c.id, { ...c, mate: { ...c.mate!, id: mate.id } });
    else unpaired.push(c.id);
  }
  return { calls: calls.map((c) => byId.get(c.id) ?? c), unpaired };
}

/** Sorts calls by the contigs' order in the BAM header, then by position. */
export function sortByContigOrder(calls: SvCall[], contigOrder: string[]): SvCall[] {
  const rank = new Map(contigOrder.map((c, i) => [c, i]));
  return [...calls].sort(
    (a, b) => (rank.get(a.chrom) ?? 1e9) - (rank.get(b.chrom) ?? 1e9) || a.start - b.start || a.end - b.end,
  );
}

export function countByType(calls: SvCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) counts[c.type] = (counts[c.type] ?? 0) + 1;
  return counts;
}
