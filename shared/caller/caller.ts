/**
 * LAG's SV caller for one work unit: read pairs (pairs.ts) and the reads'
 * own evidence (splits.ts: split reads, long CIGAR indels, clip sites), joined.
 *
 * - A read-evidence event that matches a pair call (same type, both ends
 *   within one library spread, sizes within 2x; BND: same mate contig and
 *   strands) refines it: breakpoints from the split reads, PRECISE, CIPOS
 *   from the microhomology, SR counted.
 * - Other read-evidence events become calls of their own: small deletions
 *   and duplications (below what pairs resolve), insertions, and junctions
 *   whose pairs were too few.
 * - Pair calls nothing refines stay IMPRECISE.
 *
 * Genotypes of precise events come from reads: clipped or split reads at the
 * junction (alt) against reads spanning the breakpoints with 20 aligned bases
 * on each side (ref). Events of 1 kb or more keep the depth genotype.
 */
import type { SvCall, SvEvidence, SvType } from '../contracts';
import { svCallId } from '../ids';
import { genotypeFromCounts } from './genotype';
import { EXCLUDED_FLAGS } from '../bam/record';
import { lowerBound } from '../sorted';
import { mode } from '../stats';
import { createPairCaller, depthAgrees, depthEvidence, MIN_MAPQ, noDepthChange, withDepthEvidence, type DepthEvidence, type PairCaller } from './pairs';
import { assembleInsertion, clusterJunctions, consensus, FACING_SITES, ReadEvidence, type ClipSite, type InsertionAssembly, type JunctionCluster, type WeakJunction } from './splits';
import type { AlignedReadView, CallerContext, CallerResult, SvCaller } from './types';

export const CALLER_VERSION = '0.7.5';
const MIN_SV_LENGTH = 50;
/** Split / indel reads that make a read-evidence event PASS on their own. */
const CONFIDENT_READS = 3;
/**
 * Clipped reads (both sides together) that make a clip-assembled insertion
 * PASS, and a DEL or INS junction of fewer split / indel reads: bwa aligns
 * most reads across a 50-180 bp deletion or insertion as clipped, so at 30x
 * such events showed 2 indel reads beside 15-30 clipped ones and were
 * LowSupport (2-3 true events per benchmark seed).
 */
const CONFIDENT_CLIP_READS = 5;
/** Clip sites this close to a split-read junction are explained by it (bp). */
const EXPLAINED = 30;
/** Other candidates this close count as nearby (bp). */
const NEARBY = 1_000;
/** One passing read in this many gives its GC to the depth correction. */
const GC_SAMPLE = 4;
/** Below this size depth is too noisy to genotype; the reads decide. */
const DEPTH_GENOTYPE_MIN = 1_000;

/** An event seen in the reads, before it meets the pair calls. */
interface ReadEvent {
  type: SvType;
  start: number;
  end: number;
  svlen: number;
  homology: number;
  /** Split, indel or (for clip-assembled insertions) clipped reads. */
  reads: number;
  /** DEL and INS junctions: reads clipped at the junction's breakpoints (R at its start, L at its end). */
  clips?: number;
  alt: number;
  ref: number;
  precise: boolean;
  /** INS: svlen is a lower bound (see SvCall.svlenAtLeast). */
  svlenAtLeast?: boolean;
  assembly?: InsertionAssembly;
  mate?: { ref: number; pos: number };
  strands?: SvCall['strands'];
  /** INV: split reads at both junctions (a '33' and a '55' cluster). */
  bothJunctions?: boolean;
  /** Split/indel read statistics (null for clip-assembled insertions). */
  mapq: number | null;
  nm: number | null;
  forwardFraction: number | null;
}

export function createSvCaller(ctx: CallerContext): SvCaller<AlignedReadView> {
  const { unit } = ctx;
  const pairs = createPairCaller(ctx);
  const local = ctx.contigNames.indexOf(unit.contig);
  const evidence = new ReadEvidence(local, unit.start, unit.end, ctx.contigNames, ctx.library);
  let sampled = 0;
  return {
    name: 'lag',
    version: CALLER_VERSION,
    observe(r): void {
      pairs.observe(r);
      evidence.observe(r);
      // GC of one passing read in GC_SAMPLE: enough for a 10 kb bin's GC, at a fraction of the cost.
      if (r.seqLength > 0 && r.mapq >= MIN_MAPQ && !(r.flags & EXCLUDED_FLAGS) && ++sampled % GC_SAMPLE === 0) {
        pairs.addGc(r.start, r.gcCount() / r.seqLength);
      }
    },
    finish(): CallerResult {
      const fromPairs = pairs.finish();
      evidence.finish();
      const anchors = anchorPairCalls(fromPairs.calls, evidence.weakJunctions);
      const anchored = [...anchors.values()].flatMap((a) => [a.start, a.end]).filter((p): p is number => p !== null);
      const events = readEvents(evidence, anchored);
      const joined = joinEvidence(ctx, pairs, evidence, fromPairs.calls, events, anchors).map(smallInversionNeedsReads);
      countNearby(joined);
      // The scale of the read counts: the unit's typical depth from its own reads (median read starts per
      // 100 bp bin), which large gains and losses do not move; the index's mean depth when no bin holds a read.
      const contigDepth = Math.round((pairs.typicalDepth() ?? ctx.expectedDepth) * 10) / 10;
      for (const c of joined) if (c.evidence) c.evidence.contigDepth = contigDepth;
      const calls = joined.filter((c) => c.start >= unit.coreStart && c.start < unit.coreEnd);
      return { calls, warnings: fromPairs.warnings, stats: { ...fromPairs.stats, ...evidence.stats } };
    },
  };
}

/**
 * Junction clusters and clip-assembled insertions as events, genotyped from
 * reads. `anchored`: breakpoints of pair calls that weak split reads anchor
 * (anchorPairCalls); clip sites there are those calls' junctions, not insertions.
 */
function readEvents(ev: ReadEvidence, anchored: readonly number[] = []): ReadEvent[] {
  const clusters = clusterJunctions(ev.junctions);
  const events: ReadEvent[] = [];
  const ref2 = (a: number, b: number) => Math.round((ev.spanning(a) + ev.spanning(b)) / 2);
  // Inversions: a left (33) and a right (55) junction with the same ends are one event.
  const inv33 = clusters.filter((c) => c.kind === 'INV' && c.orientation === '33');
  const inv55 = clusters.filter((c) => c.kind === 'INV' && c.orientation === '55');
  const used55 = new Set<JunctionCluster>();
  const inversions: { start: number; end: number; reads: number; homology: number; parts: JunctionCluster[] }[] = [];
  for (const a of inv33) {
    const b = inv55.find((x) => !used55.has(x) && Math.abs(x.start - a.start) <= 50 && Math.abs(x.end - a.end) <= 50);
    if (b) used55.add(b);
    inversions.push({ start: a.start, end: a.end, reads: a.reads + (b?.reads ?? 0), homology: a.homology, parts: b ? [a, b] : [a] });
  }
  for (const b of inv55) if (!used55.has(b)) inversions.push({ start: b.start, end: b.end, reads: b.reads, homology: b.homology, parts: [b] });
  for (const v of inversions) {
    const alt = (ev.clipReads(v.start, 'R') + ev.clipReads(v.start, 'L') + ev.clipReads(v.end, 'R') + ev.clipReads(v.end, 'L')) / 2;
    events.push({
      type: 'INV',
      start: v.start,
      end: v.end,
      svlen: v.end - v.start,
      homology: v.homology,
      reads: v.reads,
      alt: Math.max(v.reads, Math.round(alt)),
      ref: ref2(v.start, v.end),
      precise: true,
      bothJunctions: v.parts.length === 2,
      ...readStats(v.parts),
    });
  }
  for (const c of clusters) {
    if (c.kind === 'INV') continue;
    let alt = c.reads;
    let ref = ref2(c.start, c.end);
    let clips: number | undefined;
    if (c.kind === 'DEL') {
      clips = ev.clipReads(c.start, 'R') + ev.clipReads(c.end, 'L');
      alt = Math.max(alt, clips + (c.source === 'cigar' ? c.reads : 0));
    }
    if (c.kind === 'DUP') alt = Math.max(alt, ev.clipReads(c.end, 'R') + ev.clipReads(c.start, 'L'));
    if (c.kind === 'INS') {
      clips = ev.clipReads(c.start, 'R') + ev.clipReads(c.start, 'L');
      alt = Math.max(alt, clips);
    }
    if (c.kind === 'BND') {
      alt = Math.max(alt, ev.clipReads(c.start, c.orientation[0] === '+' ? 'R' : 'L'));
      ref = ev.spanning(c.start);
    }
    events.push({
      type: c.kind,
      start: c.start,
      end: c.end,
      svlen: c.kind === 'BND' ? 0 : c.size,
      homology: c.homology,
      reads: c.reads,
      ...(clips === undefined ? {} : { clips }),
      alt,
      ref,
      precise: true,
      ...readStats([c]),
      ...(c.kind === 'BND' ? { mate: { ref: c.mateRef, pos: c.matePos }, strands: c.orientation as SvCall['strands'] } : {}),
    });
  }
  events.push(...clipInsertions(ev, clusters, anchored));
  return events;
}

/**
 * Insertions from facing clip sites that no split-read junction explains:
 * the clipped sequences are assembled to measure what was inserted.
 */
function clipInsertions(ev: ReadEvidence, clusters: JunctionCluster[], anchored: readonly number[]): ReadEvent[] {
  // Junction ends, sorted: a clip site is explained when one lies within EXPLAINED of it.
  const ends = [...clusters.flatMap((c) => (c.kind === 'BND' ? [c.start] : [c.start, c.end])), ...anchored].sort((a, b) => a - b);
  const explained = (pos: number) => {
    const i = lowerBound(ends, pos - EXPLAINED);
    return i < ends.length && ends[i]! <= pos + EXPLAINED;
  };
  const out: ReadEvent[] = [];
  const usedLeft = new Set<number>();
  for (const r of ev.sites) {
    if (r.side !== 'R' || explained(r.pos)) continue;
    let best: ClipSite | null = null;
    // Left-clip sites in position order (ties: the one that settled first), the first with the most reads.
    const lefts = ev.sitesNear(r.pos, FACING_SITES, 'L').sort((a, b) => a.pos - b.pos);
    for (const l of lefts) {
      if (!usedLeft.has(l.pos) && (!best || l.reads > best.reads)) best = l;
    }
    if (!best) continue;
    const clipsOnly = assembleInsertion(r.clips, best.clips, r.flanks, best.flanks);
    // Too long for the clips: the assembly extended with unmapped mates, else the pairs' estimate (splits.ts).
    const extended = clipsOnly.complete ? undefined : ev.insertionAssemblies.get(r.pos);
    const assembly = extended && extended.length >= clipsOnly.length ? extended : clipsOnly;
    const fromPairs = assembly.complete ? null : ev.insertionEstimates.get(r.pos);
    const svlen = assembly.complete ? assembly.length - (best.pos - r.pos) : Math.max(assembly.length, fromPairs?.length ?? 0);
    // Not assembled across: the length is "at least" unless the pairs measured a longer one.
    const svlenAtLeast = !assembly.complete && (!fromPairs || fromPairs.lowerBound || fromPairs.length <= assembly.length);
    if (svlen < MIN_SV_LENGTH) continue;
    usedLeft.add(best.pos);
    out.push({
      type: 'INS',
      start: r.pos,
      end: r.pos,
      svlen,
      homology: 0,
      reads: r.reads + best.reads,
      alt: r.reads + best.reads,
      ref: ev.spanning(r.pos),
      precise: assembly.complete,
      svlenAtLeast,
      assembly,
      mapq: null,
      nm: null,
      forwardFraction: (r.forward + best.forward) / (r.reads + best.reads),
    });
  }
  return out;
}

/** Read-weighted means of the clusters' read statistics. */
function readStats(parts: JunctionCluster[]): { mapq: number; nm: number; forwardFraction: number } {
  const n = parts.reduce((a, c) => a + c.reads, 0);
  const mean = (f: (c: JunctionCluster) => number) => parts.reduce((a, c) => a + f(c) * c.reads, 0) / n;
  return { mapq: mean((c) => c.meanMapq), nm: mean((c) => c.meanNm), forwardFraction: mean((c) => c.forwardFraction) };
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Distinct 3-mers over the possible ones (min(64, length - 2)): 1 for varied sequence, low for repeats. */
export function complexity(seq: string): number | null {
  if (seq.length < 3) return null;
  const seen = new Set<string>();
  for (let i = 0; i + 3 <= seq.length; i++) seen.add(seq.slice(i, i + 3));
  return seen.size / Math.min(64, seq.length - 2);
}

/** The evidence of a call seen in the reads: clip sites at its breakpoints, read statistics, genotype ratio. */
function readEvidence(ev: ReadEvidence, e: ReadEvent, pairMapq: number | null): SvEvidence {
  const sites = [...ev.sitesNear(e.start), ...(e.type === 'BND' || e.type === 'INS' ? [] : ev.sitesNear(e.end))];
  const clipReads = sites.reduce((a, s) => a + s.reads, 0);
  const qualityCount = sites.reduce((a, s) => a + s.qualityCount, 0);
  const flanks = sites.flatMap((s) => s.flanks).join('');
  const gc = flanks.length ? [...flanks].filter((c) => c === 'G' || c === 'C').length / flanks.length : null;
  const cx = sites.length ? sites.map((s) => complexity(s.side === 'R' ? consensus(s.flanks, true) : consensus(s.flanks))).filter((x): x is number => x !== null) : [];
  const ll = genotypeFromCounts(e.ref, e.alt).log10Likelihoods;
  return {
    altReads: e.alt,
    refReads: e.ref,
    clipReads,
    splitMapq: e.mapq === null ? null : round(e.mapq, 1),
    splitNm: e.nm === null ? null : round(e.nm, 2),
    forwardFraction: e.forwardFraction === null ? null : round(e.forwardFraction),
    pairMapq,
    clipQuality: qualityCount ? round(sites.reduce((a, s) => a + s.qualitySum, 0) / qualityCount, 1) : null,
    flankGc: gc === null ? null : round(gc),
    flankComplexity: cx.length ? round(cx.reduce((a, b) => a + b, 0) / cx.length) : null,
    nearby: 0,
    genotypeLogRatio: round(Math.max(ll[1], ll[2]) - ll[0], 2),
  };
}

/** Candidates of the unit within 1 kb of each call (either end), into its evidence. */
function countNearby(calls: SvCall[]): void {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  for (let i = 0; i < sorted.length; i++) {
    const c = sorted[i]!;
    let n = 0;
    for (let k = i - 1; k >= 0 && c.start - sorted[k]!.start <= NEARBY; k--) n++;
    for (let k = i + 1; k < sorted.length && sorted[k]!.start - c.start <= NEARBY; k++) n++;
    if (c.evidence) c.evidence.nearby = n;
  }
}

/** Inversions under this length need split reads: pairs alone at that scale are mostly library artefacts (fold-back chimeras). */
const SMALL_INVERSION = 1_000;

function smallInversionNeedsReads(c: SvCall): SvCall {
  if (c.type !== 'INV' || c.precise || c.splitReads > 0 || c.svlen >= SMALL_INVERSION || c.filter !== 'PASS') return c;
  return { ...c, filter: 'LowSupport', genotype: './.', genotypeQuality: 0, score: c.score * 0.5 };
}

/** Weak split reads (WeakJunction) that join both ends of an imprecise pair call. */
export interface Anchor {
  /** The breakpoint at each end where at least MIN_ANCHOR_READS of them are clipped; null where none is. */
  start: number | null;
  end: number | null;
  reads: number;
  mapq: number;
  nm: number;
  forwardFraction: number;
}

/** Bases beyond a pair call's confidence interval where its junction reads may still lie. */
const ANCHOR_TOLERANCE = 50;
/** Reads clipped within this distance of the commonest anchor position place a breakpoint there... */
const ANCHOR_SPREAD = 5;
/** ...when at least this many are. */
const MIN_ANCHOR_READS = 2;

/**
 * The pair calls (DEL, DUP, INV with read pairs, imprecise) that weak split
 * reads anchor, by index: at least CONFIDENT_READS reads of the call's type
 * whose own part is clipped inside one end's confidence interval and whose
 * ambiguously placed other part lies inside the other's. Where one end of an
 * event lies in a repeat, its junction reads have no confident second part:
 * without this the clip sites at the unique end were called an insertion and
 * the event stayed imprecise (inversions of 0.4-240 kb on nine benchmark seeds).
 */
export function anchorPairCalls(calls: readonly SvCall[], weak: readonly WeakJunction[]): Map<number, Anchor> {
  const out = new Map<number, Anchor>();
  if (weak.length === 0) return out;
  const sorted = [...weak].sort((a, b) => a.start - b.start);
  const starts = sorted.map((j) => j.start);
  calls.forEach((c, i) => {
    if (c.precise || c.pairedEnd === 0 || (c.type !== 'DEL' && c.type !== 'DUP' && c.type !== 'INV')) return;
    const [sLo, sHi] = [c.start + c.ciPos[0] - ANCHOR_TOLERANCE, c.start + c.ciPos[1] + ANCHOR_TOLERANCE];
    const [eLo, eHi] = [c.end + c.ciEnd[0] - ANCHOR_TOLERANCE, c.end + c.ciEnd[1] + ANCHOR_TOLERANCE];
    const support: WeakJunction[] = [];
    for (let k = lowerBound(starts, sLo); k < sorted.length && sorted[k]!.start <= sHi; k++) {
      const j = sorted[k]!;
      if (j.kind === c.type && j.end >= eLo && j.end <= eHi) support.push(j);
    }
    if (support.length < CONFIDENT_READS) return;
    const atStart = support.filter((j) => Math.abs(j.anchor - j.start) <= Math.abs(j.anchor - j.end)).map((j) => j.anchor);
    const atEnd = support.filter((j) => Math.abs(j.anchor - j.start) > Math.abs(j.anchor - j.end)).map((j) => j.anchor);
    const n = support.length;
    const start = breakpointOf(atStart);
    const end = breakpointOf(atEnd);
    // Reads that agree on no breakpoint place nothing; nor do ends that would make another event than
    // the pairs saw (under 50 bp, or outside half to twice its length, as for read events in joinEvidence).
    if (start === null && end === null) return;
    const svlen = (end ?? c.end) - (start ?? c.start);
    if (svlen < MIN_SV_LENGTH || svlen < 0.5 * c.svlen || svlen > 2 * c.svlen) return;
    out.set(i, {
      start,
      end,
      reads: n,
      mapq: support.reduce((a, j) => a + j.mapq, 0) / n,
      nm: support.reduce((a, j) => a + j.nm, 0) / n,
      forwardFraction: support.filter((j) => j.forward).length / n,
    });
  });
  return out;
}

/** The commonest of the positions when MIN_ANCHOR_READS lie within ANCHOR_SPREAD of it, else null. */
function breakpointOf(positions: number[]): number | null {
  if (positions.length < MIN_ANCHOR_READS) return null;
  const best = mode(positions);
  const near = positions.filter((p) => Math.abs(p - best) <= ANCHOR_SPREAD).length;
  return near >= MIN_ANCHOR_READS ? best : null;
}

/**
 * A pair call with the breakpoints its weak split reads place: those ends
 * become exact, the reads count as SR. The pairs' genotype and FILTER stand:
 * reads whose other part could lie elsewhere confirm where, not whether.
 */
function anchorCall(ctx: CallerContext, ev: ReadEvidence, call: SvCall, a: Anchor): SvCall {
  const start = a.start ?? call.start;
  const end = a.end ?? call.end;
  const sites = (p: number | null) => (p === null ? 0 : ev.clipReads(p, 'R') + ev.clipReads(p, 'L'));
  const e: ReadEvent = {
    type: call.type,
    start,
    end,
    svlen: end - start,
    homology: 0,
    reads: a.reads,
    alt: Math.max(a.reads, sites(a.start) + sites(a.end)),
    ref: Math.round((ev.spanning(start) + ev.spanning(end)) / 2),
    precise: a.start !== null && a.end !== null,
    mapq: a.mapq,
    nm: a.nm,
    forwardFraction: a.forwardFraction,
  };
  return {
    ...call,
    id: svCallId(ctx.unit.chromosome, start, end, call.type),
    start,
    end,
    svlen: end - start,
    ciPos: a.start === null ? call.ciPos : [0, 0],
    ciEnd: a.end === null ? call.ciEnd : [0, 0],
    precise: e.precise,
    splitReads: a.reads,
    score: call.filter === 'PASS' ? Math.min(1, (call.pairedEnd + a.reads) / 10) : call.score,
    // The depth evidence the pair call was measured with (over the pairs' interval) stays with it.
    evidence: withDepthEvidence(readEvidence(ev, e, call.evidence?.pairMapq ?? null), call.evidence),
  };
}

/** Joins read-evidence events with the pair calls (see the module comment), then anchors the pair calls no event refined. */
function joinEvidence(ctx: CallerContext, pairs: PairCaller, ev: ReadEvidence, pairCalls: SvCall[], events: ReadEvent[], anchors: ReadonlyMap<number, Anchor>): SvCall[] {
  const { library } = ctx;
  const slack = library.insertSizeMedian > 0 ? library.insertSizeMedian + 3 * Math.max(1, library.insertSizeSd) : 1_000;
  const out = [...pairCalls];
  const refined = new Set<number>();
  for (const e of [...events].sort((a, b) => b.reads - a.reads)) {
    if (e.type !== 'BND' && e.svlen < MIN_SV_LENGTH) continue;
    let match = -1;
    let bestDistance = Infinity;
    out.forEach((c, i) => {
      if (i >= pairCalls.length || refined.has(i) || c.type !== e.type) return;
      let d: number;
      if (e.type === 'BND') {
        if (!c.mate || !e.mate || c.mate.chrom !== ctx.contigNames[e.mate.ref] || c.strands !== e.strands) return;
        d = Math.abs(c.start - e.start) + Math.abs(c.mate.pos - e.mate.pos);
      } else {
        if (Math.min(c.svlen, e.svlen) / Math.max(c.svlen, e.svlen) < 0.5 && e.type !== 'INS') return;
        d = Math.abs(c.start - e.start) + Math.abs(c.end - e.end);
      }
      if (d <= 2 * slack && d < bestDistance) {
        bestDistance = d;
        match = i;
      }
    });
    if (match >= 0) {
      refined.add(match);
      out[match] = refine(ctx, out[match]!, e, readEvidence(ev, e, out[match]!.evidence?.pairMapq ?? null));
    } else {
      const call = readCall(ctx, pairs, e, readEvidence(ev, e, null));
      if (call) out.push(call);
    }
  }
  for (const [i, a] of anchors) if (!refined.has(i)) out[i] = anchorCall(ctx, ev, out[i]!, a);
  return out;
}

function confidenceOf(e: ReadEvent): [number, number] {
  if (e.precise) return [0, e.homology];
  return [-50, 50];
}

function readGenotype(e: ReadEvent): { genotype: SvCall['genotype']; genotypeQuality: number } {
  const g = genotypeFromCounts(e.ref, e.alt);
  return { genotype: g.genotype === '0/0' ? '0/1' : g.genotype, genotypeQuality: g.genotypeQuality };
}

/** A pair call with its breakpoints taken from the reads. */
function refine(ctx: CallerContext, call: SvCall, e: ReadEvent, evidence: SvEvidence): SvCall {
  const start = e.start;
  const end = e.type === 'BND' ? e.start + 1 : e.end;
  const svlen = e.type === 'BND' ? 0 : e.svlen;
  const depthDecides = (e.type === 'DEL' || e.type === 'DUP') && svlen >= DEPTH_GENOTYPE_MIN && call.depthFoldChange !== null;
  // From 1 kb the depth is measured over enough bins to decide: split reads never overrule a depth
  // that contradicts the event (a "5 Mb deletion" at full depth is a junction between two copies of
  // a repeat, not a loss), the same rule as for calls from reads alone (readCall).
  const depthAgainst = depthDecides && !depthAgrees(e.type as 'DEL' | 'DUP', call.depthFoldChange!);
  // An inversion's split reads confirm it only when both of its junctions show them.
  const confirmed = !depthAgainst && (call.filter === 'PASS' || (e.reads >= CONFIDENT_READS && (e.type !== 'INV' || e.bothJunctions === true)));
  let genotype = call.genotype;
  let genotypeQuality = call.genotypeQuality;
  if (!depthDecides || genotype === './.') ({ genotype, genotypeQuality } = readGenotype(e));
  const ci = confidenceOf(e);
  return {
    ...call,
    id: e.type === 'BND' ? `BND-${ctx.unit.chromosome}-${start}-${call.mate!.chrom}-${e.mate!.pos}` : svCallId(ctx.unit.chromosome, start, end, e.type),
    start,
    end,
    svlen,
    ciPos: ci,
    ciEnd: ci,
    precise: e.precise,
    genotype: confirmed ? genotype : './.',
    genotypeQuality: confirmed ? genotypeQuality : 0,
    splitReads: e.reads,
    score: Math.min(1, (call.pairedEnd + e.reads) / 10) * (confirmed ? 1 : 0.5),
    filter: confirmed ? 'PASS' : depthAgainst ? noDepthChange(e.type as 'DEL' | 'DUP') : call.filter,
    ...(e.type === 'BND' ? { mate: { ...call.mate!, pos: e.mate!.pos } } : {}),
    evidence: withDepthEvidence(evidence, call.evidence),
  };
}

/** A call from read evidence alone. */
function readCall(ctx: CallerContext, pairs: PairCaller, e: ReadEvent, evidence: SvEvidence): SvCall | null {
  const { unit } = ctx;
  const mateChrom = e.mate ? ctx.contigNames[e.mate.ref] : undefined;
  if (e.type === 'BND' && mateChrom === undefined) return null;
  let filter = 'PASS';
  if (e.type === 'INS' && e.assembly) {
    if (e.reads < CONFIDENT_CLIP_READS) filter = 'LowSupport';
  } else if ((e.reads < CONFIDENT_READS && (e.clips ?? 0) < CONFIDENT_CLIP_READS) || (e.type === 'INV' && !e.bothJunctions)) filter = 'LowSupport';
  let depthFoldChange: number | null = null;
  let copyNumber: number | null = null;
  let { genotype, genotypeQuality } = readGenotype(e);
  let depth: DepthEvidence | null = null;
  if (e.type === 'DEL' || e.type === 'DUP') {
    const g = pairs.depthGenotype(e.type, e.start, e.end);
    depth = depthEvidence(g, pairs.depthLogRatio(e.type, e.start, e.end, g));
    if (g) {
      depthFoldChange = g.fold;
      copyNumber = g.copyNumber;
      if (e.svlen >= DEPTH_GENOTYPE_MIN) {
        if (!depthAgrees(e.type, g.fold!) && filter === 'PASS') filter = noDepthChange(e.type);
        if (g.genotype !== '0/0') ({ genotype, genotypeQuality } = g);
      }
    }
  }
  const pass = filter === 'PASS';
  const ci = confidenceOf(e);
  const end = e.type === 'BND' ? e.start + 1 : e.end;
  return {
    id: e.type === 'BND' ? `BND-${unit.chromosome}-${e.start}-${mateChrom!}-${e.mate!.pos}` : svCallId(unit.chromosome, e.start, end, e.type),
    chrom: unit.contig,
    start: e.start,
    end,
    type: e.type,
    svlen: e.type === 'BND' ? 0 : e.svlen,
    ...(e.svlenAtLeast ? { svlenAtLeast: true } : {}),
    ciPos: ci,
    ciEnd: ci,
    precise: e.precise,
    genotype: pass ? genotype : './.',
    genotypeQuality: pass ? genotypeQuality : 0,
    pairedEnd: 0,
    splitReads: e.reads,
    depthFoldChange,
    copyNumber,
    score: Math.min(1, e.reads / 10) * (pass ? 1 : 0.5),
    filter,
    ...(e.type === 'BND' ? { mate: { chrom: mateChrom!, pos: e.mate!.pos, id: '' }, strands: e.strands! } : {}),
    evidence: withDepthEvidence(evidence, depth),
  };
}
