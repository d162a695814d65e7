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
 * Breakends are one junction only with the same strands and mates within
 * `tolerance`: the two junctions of a reciprocal translocation lie a few bp
 * apart on each chromosome but face opposite ways.
 */
function sameJunction(a: SvCall, b: SvCall, tolerance: number): boolean {
  if (a.type !== 'BND') return true;
  return a.strands === b.strands && a.mate?.chrom === b.mate?.chrom && Math.abs((a.mate?.pos ?? 0) - (b.mate?.pos ?? 0)) <= tolerance;
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
      if (k.type === c.type && Math.abs(k.end - c.end) <= tolerance && sameJunction(k, c, tolerance)) {
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

/** Junctions of a reciprocal translocation lie this close on both chromosomes (bp). */
export const RECIPROCAL_TOLERANCE = 1_000;

/**
 * Groups paired breakends into translocation events: two junctions between
 * the same two chromosomes whose ends both lie within RECIPROCAL_TOLERANCE
 * are the two derivatives of one reciprocal (balanced) translocation; any
 * other junction is an unbalanced one. Intra-chromosomal breakends are left
 * alone.
 */
export function classifyTranslocations(calls: SvCall[]): SvCall[] {
  const byId = new Map(calls.map((c) => [c.id, c]));
  // One junction per mate pair, named by its lower side.
  const junctions = calls.filter((c) => c.type === 'BND' && c.mate?.id && c.mate.chrom !== c.chrom && byId.has(c.mate.id) && c.id < c.mate.id);
  const events = new Map<string, SvCall['event']>();
  const used = new Set<string>();
  let n = 0;
  for (const j of junctions) {
    if (used.has(j.id)) continue;
    const partner = junctions.find(
      (k) =>
        k !== j &&
        !used.has(k.id) &&
        k.chrom === j.chrom &&
        k.mate!.chrom === j.mate!.chrom &&
        Math.abs(k.start - j.start) <= RECIPROCAL_TOLERANCE &&
        Math.abs(k.mate!.pos - j.mate!.pos) <= RECIPROCAL_TOLERANCE,
    );
    const event = { id: `TRA${++n}`, type: partner ? ('reciprocal-translocation' as const) : ('unbalanced-translocation' as const) };
    for (const k of partner ? [j, partner] : [j]) {
      used.add(k.id);
      events.set(k.id, event);
      events.set(k.mate!.id, event);
    }
  }
  return calls.map((c) => (events.has(c.id) ? { ...c, event: events.get(c.id)! } : c));
}

/**
 * Each side of a translocation is placed from its own reads, the mate side
 * from the mates' starts: the two estimates can differ by a fragment length
 * plus spread, so mates are paired within 1 kb.
 */
export const BREAKEND_MATE_TOLERANCE = 1_000;

/**
 * The calls of all work units as one set: window-overlap duplicates removed,
 * breakends paired with their mates, translocations classified. Returns the
 * ids of breakends left without a mate too.
 */
export function mergeUnitCalls(all: SvCall[]): { calls: SvCall[]; unpaired: string[] } {
  const paired = pairBreakends(removeDuplicates(all), BREAKEND_MATE_TOLERANCE);
  return { calls: classifyTranslocations(paired.calls), unpaired: paired.unpaired };
}
