/**
 * The benchmark's scorer and reporter (run by scripts/bench/run.sh after it is
 * compiled with scripts/tsconfig.json).
 *
 *   node dist/scripts/bench/compare.js score TRUTH.vcf[.gz] CALLS.vcf[.gz] [--missing-gt exclude]
 *       one call set against one truth set: counts, precision, recall, F1 overall, by type and size
 *
 *   node dist/scripts/bench/compare.js report --sim TRUTH RUNS [--manta TRUTH RUNS] [--na12878 TRUTH RUNS]
 *                                             [--scan scan.json] [--doc docs/benchmarks.md] [--json out.json]
 *                                             [--title TEXT] [--setup FILE]
 *       scores every caller under RUNS (one folder per caller, written by run.sh), prints the table,
 *       writes the generated section of the doc and the figures as JSON.
 *
 * A caller's run folder holds: command.txt (the exact command), time.txt (`/usr/bin/time -v`),
 * tree-rss-kb.txt (peak RSS summed over the process tree, sampled), exit-code, version.txt,
 * calls.vcf.gz or calls.vcf (its output), and error.txt when it could not run.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Comparison,
  type Counts,
  type PreparedSet,
  type SvEvent,
  type Summary,
  type VcfRecord,
  SIZE_BINS,
  TRUVARI_DEFAULTS,
  type MatchOptions,
  claimHolds,
  compareEvents,
  junctionDistance,
  prepare,
  readVcfFile,
  summarise,
} from './truvariMatch';

// ---------------------------------------------------------------- run folders

export interface CallerRun {
  caller: string;
  command: string;
  version: string;
  wallSeconds: number | null;
  /** GNU time's "Maximum resident set size": the largest single process of the tree */
  maxRssKb: number | null;
  /** sum over the process tree, sampled every 0.5 s */
  treeRssKb: number | null;
  exitCode: number | null;
  /** why there is no call set */
  error: string | null;
  /** extra line from the caller (LAG: its own analysis time) */
  note: string | null;
  vcf: string | null;
}

function readText(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
}

/** `h:mm:ss` / `m:ss.ss` → seconds */
export function clockToSeconds(clock: string): number {
  return clock.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

export function parseGnuTime(text: string): { wallSeconds: number | null; maxRssKb: number | null; exitCode: number | null } {
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const exit = /Exit status: (\d+)/.exec(text);
  return {
    wallSeconds: wall ? clockToSeconds(wall[1]!) : null,
    maxRssKb: rss ? Number(rss[1]) : null,
    exitCode: exit ? Number(exit[1]) : null,
  };
}

export function readRun(dir: string, caller: string): CallerRun {
  const time = readText(join(dir, 'time.txt'));
  const t = time ? parseGnuTime(time) : { wallSeconds: null, maxRssKb: null, exitCode: null };
  const exitText = readText(join(dir, 'exit-code'));
  const tree = readText(join(dir, 'tree-rss-kb.txt'));
  const vcf = ['calls.vcf.gz', 'calls.vcf'].map((f) => join(dir, f)).find((p) => existsSync(p)) ?? null;
  let error = readText(join(dir, 'error.txt'));
  const exitCode = exitText !== null ? Number(exitText) : t.exitCode;
  if (error === null && (vcf === null || (exitCode !== null && exitCode !== 0))) {
    // the caller's own last word: the last error line of its stderr
    const stderr = (readText(join(dir, 'stderr.log')) ?? '').split('\n').filter((l) => /error/i.test(l) && !/^Command exited/.test(l));
    const last = stderr[stderr.length - 1]?.trim();
    error = `${vcf === null ? 'no call set' : 'failed'}, exit code ${exitCode ?? '?'}${last ? `: ${last}` : ''} (${join(dir, 'stderr.log')})`;
  }
  return {
    caller,
    command: readText(join(dir, 'command.txt')) ?? '?',
    version: readText(join(dir, 'version.txt')) ?? '?',
    wallSeconds: t.wallSeconds,
    maxRssKb: t.maxRssKb,
    treeRssKb: tree !== null && tree !== '' ? Number(tree) : null,
    exitCode,
    error,
    note: readText(join(dir, 'note.txt')),
    vcf,
  };
}

/** Callers in display order: LAG first, then the peers by name. */
export function listRuns(runsDir: string): CallerRun[] {
  if (!existsSync(runsDir)) return [];
  const names = readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => (a.startsWith('LAG') === b.startsWith('LAG') ? a.localeCompare(b) : a.startsWith('LAG') ? -1 : 1));
  return names.map((n) => readRun(join(runsDir, n), n));
}

// ---------------------------------------------------------------- formatting

const TYPES = ['DEL', 'INS', 'DUP', 'INV', 'BND'] as const;
const BINS = SIZE_BINS.filter((b) => b.label !== '<50').map((b) => b.label);

function f3(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : x.toFixed(3);
}

function mb(kb: number | null): string {
  return kb === null ? '–' : String(Math.round(kb / 1024));
}

function secs(s: number | null): string {
  return s === null ? '–' : s < 10 ? s.toFixed(1) : s.toFixed(0);
}

export function renderTable(header: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- the simulated set

export interface ScoredRun {
  run: CallerRun;
  summary: Summary | null;
  excludedCalls: Record<string, number> | null;
}

export function scoreRuns(truth: PreparedSet, runs: CallerRun[], opts: MatchOptions): ScoredRun[] {
  return runs.map((run) => {
    if (run.vcf === null || run.error !== null) return { run, summary: null, excludedCalls: null };
    const calls = prepare(readVcfFile(run.vcf), 'call', opts);
    const cmp = compareEvents(truth, calls, opts);
    return { run, summary: summarise(cmp), excludedCalls: calls.excluded };
  });
}

function truthCounts(truth: PreparedSet): { byType: Record<string, number>; bySize: Record<string, number> } {
  const byType: Record<string, number> = {};
  const bySize: Record<string, number> = {};
  const empty: Comparison = { truth: truth.events, calls: [], truthMatch: truth.events.map(() => null), callMatch: [], excludedTruth: {}, excludedCalls: {} };
  const s = summarise(empty);
  for (const [k, c] of Object.entries(s.byType)) byType[k] = c.fn;
  for (const [k, c] of Object.entries(s.bySize)) bySize[k] = c.fn;
  return { byType, bySize };
}

export function mainTable(scored: ScoredRun[], truth: PreparedSet, markdown: boolean): string {
  const n = truthCounts(truth);
  const header = [
    'caller',
    'precision',
    'recall',
    'F1',
    ...TYPES.map((t) => `${t} (${n.byType[t] ?? 0})`),
    ...BINS.map((b) => `${b} (${n.bySize[b] ?? 0})`),
    'wall s',
    'peak RSS MB',
    'tree RSS MB',
  ];
  const rows = scored.map(({ run, summary }) => {
    if (summary === null) {
      return [run.caller, `did not run: ${run.error ?? '?'}`, ...header.slice(2, -3).map(() => ''), secs(run.wallSeconds), mb(run.maxRssKb), mb(run.treeRssKb)];
    }
    return [
      run.caller,
      f3(summary.overall.precision),
      f3(summary.overall.recall),
      f3(summary.overall.f1),
      ...TYPES.map((t) => f3(summary.byType[t]?.f1 ?? (n.byType[t] ? 0 : null))),
      ...BINS.map((b) => f3(summary.bySize[b]?.f1 ?? (n.bySize[b] ? 0 : null))),
      secs(run.wallSeconds),
      mb(run.maxRssKb),
      mb(run.treeRssKb),
    ];
  });
  return renderTable(header, rows, markdown);
}

function cell(c: Counts | undefined): string {
  if (!c) return '–';
  return `${f3(c.precision)} / ${f3(c.recall)} (${c.tpTruth}/${c.fp}/${c.fn})`;
}

export function detailTable(scored: ScoredRun[], keys: readonly string[], pick: (s: Summary) => Record<string, Counts>, markdown: boolean): string {
  const header = ['caller', ...keys];
  const rows = scored.filter((s) => s.summary !== null).map(({ run, summary }) => [run.caller, ...keys.map((k) => cell(pick(summary!)[k]))]);
  return renderTable(header, rows, markdown);
}

// ---------------------------------------------------------------- calibration of LAG's scores (issue 4)

export interface Calibration {
  candidates: number;
  bins: { bin: string; n: number; meanProbability: number | null; fractionTrue: number | null }[];
  ece: number;
  /** The same with every candidate labelled by truvari's match alone (an "at least" insertion of another length is false). */
  eceTruvari: number;
  /** Truth events that some candidate (any FILTER) matches, over all truth events. */
  candidateRecall: number;
  /**
   * The F1 of a perfect filter of these candidates, which keeps every true one
   * and drops every false one (precision 1, recall `candidateRecall`): about
   * the most any scorer of this caller's candidates can reach, since a scorer
   * only keeps or drops what the caller proposes.
   */
  filterCeilingF1: number;
}

/**
 * Issue 4's bars for the scorer on a held-out set: scored F1 at least the caller's own filters' F1 +
 * ISSUE4_MIN_GAIN and at least ISSUE4_MIN_F1, and an expected calibration error at most ISSUE4_MAX_ECE.
 * The F1 must also beat the best caller measured for the issue (dysgu, DYSGU_F1) by ISSUE4_MIN_GAIN.
 */
export const ISSUE4_MIN_GAIN = 0.05;
export const ISSUE4_MIN_F1 = 0.9;
export const ISSUE4_MAX_ECE = 0.05;
export const DYSGU_F1 = 0.854;

/** Ten bins of probability; ECE = sum over bins of n/N x |mean probability - fraction true|. */
function reliability(points: readonly { p: number; y: number }[]): { bins: Calibration['bins']; ece: number } {
  let ece = 0;
  const bins = Array.from({ length: 10 }, (_, k) => {
    const lo = k / 10;
    const hi = (k + 1) / 10;
    const inBin = points.filter((q) => q.p >= lo && (k === 9 ? q.p <= hi : q.p < hi));
    if (inBin.length === 0) return { bin: `${lo.toFixed(1)}-${hi.toFixed(1)}`, n: 0, meanProbability: null, fractionTrue: null };
    const mp = inBin.reduce((a, q) => a + q.p, 0) / inBin.length;
    const ft = inBin.reduce((a, q) => a + q.y, 0) / inBin.length;
    ece += (inBin.length / points.length) * Math.abs(mp - ft);
    return { bin: `${lo.toFixed(1)}-${hi.toFixed(1)}`, n: inBin.length, meanProbability: mp, fractionTrue: ft };
  });
  return { bins, ece };
}

/**
 * How well the probabilities (INFO/PROB) of a scored call set match reality
 * on this set: every candidate counts, whatever its FILTER (the model chose
 * FILTER from PROB), labelled true when its claim holds: it matches a truth
 * event, or it is an "at least L bp" insertion (SVLEN_LOWER_BOUND) beside a
 * longer truth insertion (truvariMatch.ts claimHolds; the scorer is trained
 * on the same labels). `eceTruvari` labels by truvari's match alone.
 */
/** Every record as a candidate: FILTER and a no-call or reference genotype do not take it out of the matching. */
export function asCandidates(records: readonly VcfRecord[]): VcfRecord[] {
  return records.map((r) => ({ ...r, filters: [], gt: r.gt === null || /^[0.]([/|][0.])?$/.test(r.gt) ? '0/1' : r.gt }));
}

export function calibration(truth: PreparedSet, vcfPath: string, opts: MatchOptions): Calibration | null {
  const records = readVcfFile(vcfPath);
  const prob = new Map<string, number>();
  for (const r of records) {
    const p = r.info.get('PROB');
    if (typeof p === 'string' && Number.isFinite(Number(p))) prob.set(r.id, Number(p));
  }
  if (prob.size === 0) return null;
  const atLeast = new Set(records.filter((r) => r.info.get('SVLEN_LOWER_BOUND') === true).map((r) => r.id));
  const calls = prepare(asCandidates(records), 'call', opts);
  const cmp = compareEvents(truth, calls, opts);
  const holds = claimHolds(cmp, (event) => event.records.some((r) => atLeast.has(r.id)), opts);
  const points: { p: number; y: number; truvari: number }[] = [];
  cmp.calls.forEach((event, i) => {
    const ps = event.records.map((r) => prob.get(r.id)).filter((x): x is number => x !== undefined);
    if (ps.length === 0) return;
    points.push({ p: ps.reduce((a, b) => a + b, 0) / ps.length, y: holds[i] ? 1 : 0, truvari: cmp.callMatch[i] === null ? 0 : 1 });
  });
  const { bins, ece } = reliability(points);
  const eceTruvari = reliability(points.map((q) => ({ p: q.p, y: q.truvari }))).ece;
  const candidateRecall = cmp.truth.length ? cmp.truthMatch.filter((m) => m !== null).length / cmp.truth.length : 0;
  return { candidates: points.length, bins, ece, eceTruvari, candidateRecall, filterCeilingF1: (2 * candidateRecall) / (1 + candidateRecall) };
}

export function calibrationTable(c: Calibration, markdown: boolean): string {
  return renderTable(
    ['probability', 'candidates', 'mean probability', 'fraction true'],
    c.bins.map((b) => [b.bin, String(b.n), f3(b.meanProbability), f3(b.fractionTrue)]),
    markdown,
  );
}

// ---------------------------------------------------------------- the Manta demo (breakend pairs)

export interface PairFinding {
  truth: SvEvent;
  /** per caller: how the pair was found, or null */
  found: Record<string, string | null>;
}

function describeEnds(e: SvEvent): string {
  if (e.ends === null) return `${e.type} ${e.chrom}:${e.start}-${e.end}`;
  return `${e.ends[0].chrom}:${e.ends[0].pos}↔${e.ends[1].chrom}:${e.ends[1].pos}`;
}

/**
 * Which truth breakend pairs each caller finds: a call junction with both ends
 * within `bnddist`; for an intra-chromosomal pair, an interval call
 * (DEL/DUP/INV) whose start and end are both within `bnddist` of the two
 * ends is reported too, marked as such (truvari would only count it with
 * breakend decomposition). A pair found only by calls the rules leave out
 * (filtered, 0/0) is reported with the reason.
 */
export function findPairs(truth: PreparedSet, scored: ScoredRun[], opts: MatchOptions): PairFinding[] {
  const junctions = truth.events.filter((e) => e.ends !== null);
  const callSets = new Map<string, { counted: SvEvent[]; all: SvEvent[]; records: Map<number, VcfRecord> }>();
  for (const { run } of scored) {
    if (run.vcf === null || run.error !== null) continue;
    const records = readVcfFile(run.vcf);
    const all = prepare(
      records.map((r) => ({ ...r, filters: [], gt: null })),
      'call',
      { ...opts, missingGenotype: 'include' },
    ).events;
    callSets.set(run.caller, { counted: prepare(records, 'call', opts).events, all, records: new Map(records.map((r) => [r.line, r])) });
  }
  const search = (t: SvEvent, calls: SvEvent[]): string | null => {
    const bnd = calls.find((c) => c.ends !== null && junctionDistance(t.ends!, c.ends, opts.bnddist) !== null);
    if (bnd) return `BND ${describeEnds(bnd)}`;
    const [a, b] = t.ends!;
    if (a.chrom !== b.chrom) return null;
    const interval = calls.find(
      (c) =>
        c.ends === null &&
        c.chrom === a.chrom &&
        Math.abs(c.start - Math.min(a.pos, b.pos)) <= opts.bnddist &&
        Math.abs(c.end - Math.max(a.pos, b.pos)) <= opts.bnddist,
    );
    return interval ? `as ${describeEnds(interval)} (not a BND)` : null;
  };
  return junctions.map((t) => {
    const found: Record<string, string | null> = {};
    for (const { run } of scored) {
      const set = callSets.get(run.caller);
      if (!set) {
        found[run.caller] = null;
        continue;
      }
      const counted = search(t, set.counted);
      if (counted !== null) {
        found[run.caller] = counted;
        continue;
      }
      // left out by the rules? say why
      const hit = set.all.find((c) => search(t, [c]) !== null);
      if (hit) {
        const rec = set.records.get(hit.records[0]!.line)!;
        const why = [rec.filters.length > 0 && !rec.filters.includes('PASS') ? `FILTER ${rec.filters.join(';')}` : null, rec.gt !== null ? `GT ${rec.gt}` : null]
          .filter((x) => x !== null)
          .join(', ');
        found[run.caller] = `not counted: ${search(t, [hit])} has ${why}`;
      } else {
        found[run.caller] = null;
      }
    }
    return { truth: t, found };
  });
}

export function pairsTable(findings: PairFinding[], scored: ScoredRun[], markdown: boolean): string {
  const header = ['caller', ...findings.map((f) => describeEnds(f.truth)), 'calls (PASS, non-ref)', 'wall s', 'peak RSS MB'];
  const rows = scored.map(({ run, summary }) => [
    run.caller,
    ...findings.map((f, i) => (run.error !== null ? (i === 0 ? `did not run: ${run.error}` : '') : (f.found[run.caller] ?? 'not found'))),
    summary ? String(summary.overall.tpCall + summary.overall.fp) : '–',
    secs(run.wallSeconds),
    mb(run.maxRssKb),
  ]);
  return renderTable(header, rows, markdown);
}

// ---------------------------------------------------------------- NA12878 (expected genotypes)

export interface GenotypeFinding {
  run: CallerRun;
  nonRefSites: number;
  found: number;
  genotyped: number;
  concordant: number;
  refSites: number;
  callsAtRefSites: number;
  calls: number;
}

export function genotypeFindings(truthPath: string, runs: CallerRun[], opts: MatchOptions): GenotypeFinding[] {
  const records = readVcfFile(truthPath);
  const nonRef = prepare(
    records.filter((r) => /[1-9]/.test(r.gt ?? '')),
    'truth',
    opts,
  );
  const ref = prepare(
    records.filter((r) => !/[1-9]/.test(r.gt ?? '') && /0/.test(r.gt ?? '')),
    'truth',
    opts,
  );
  return runs.map((run) => {
    const base = { run, nonRefSites: nonRef.events.length, refSites: ref.events.length };
    if (run.vcf === null || run.error !== null) return { ...base, found: 0, genotyped: 0, concordant: 0, callsAtRefSites: 0, calls: 0 };
    const calls = prepare(readVcfFile(run.vcf), 'call', opts);
    const s = summarise(compareEvents(nonRef, calls, opts));
    const atRef = summarise(compareEvents(ref, calls, opts));
    return {
      ...base,
      found: s.overall.tpTruth,
      genotyped: s.genotype.compared,
      concordant: s.genotype.concordant,
      callsAtRefSites: atRef.overall.tpTruth,
      calls: calls.events.length,
    };
  });
}

export function genotypeTable(findings: GenotypeFinding[], markdown: boolean): string {
  const header = ['caller', 'non-ref sites found', 'genotype agrees (het/hom)', '0/0 sites with a call', 'calls (PASS, non-ref)', 'wall s', 'peak RSS MB'];
  const rows = findings.map((f) =>
    f.run.error !== null
      ? [f.run.caller, `did not run: ${f.run.error}`, '', '', '', secs(f.run.wallSeconds), mb(f.run.maxRssKb)]
      : [
          f.run.caller,
          `${f.found}/${f.nonRefSites}`,
          f.genotyped > 0 ? `${f.concordant}/${f.genotyped} (${f3(f.concordant / f.genotyped)})` : '0/0 (no genotypes)',
          `${f.callsAtRefSites}/${f.refSites}`,
          String(f.calls),
          secs(f.run.wallSeconds),
          mb(f.run.maxRssKb),
        ],
  );
  return renderTable(header, rows, markdown);
}

// ---------------------------------------------------------------- scan throughput (written by another tool)

/** `key=value` for every scalar under `value` (nested keys joined by dots; arrays of more than 4 scalars, such as per-run timings, left out). */
export function flattenScalars(value: unknown, prefix = ''): string[] {
  const fmt = (v: unknown): string => (typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toFixed(3))) : String(v));
  if (value === null || typeof value !== 'object') return [`${prefix}=${fmt(value)}`];
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return value.length <= 4 ? [`${prefix}=${value.map(fmt).join(',')}`] : [];
    return [];
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenScalars(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * The scan throughput measurement, when `path` exists: a line of its top-level
 * figures, then one line per entry of each array of objects (one per BAM).
 */
export function scanLines(path: string): string[] | null {
  if (!existsSync(path)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return [`scan throughput: ${path} is not JSON (${(e as Error).message})`];
  }
  const lines = [`scan throughput (${path}): ${flattenScalars(data).join(', ')}`];
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    for (const v of Object.values(data as Record<string, unknown>)) {
      if (Array.isArray(v)) for (const item of v) if (item !== null && typeof item === 'object') lines.push(`  - ${flattenScalars(item).join(', ')}`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------- issue 3's acceptance on the simulated set

/** Issue 3's acceptance criteria on the simulated set, one line each, judged from the scored runs. */
export function acceptanceLines(scored: ScoredRun[]): string[] {
  // Issue 3 judges the caller "before any ML scoring": the LAG-unscored row when it ran; wall time is the pipeline's.
  const pipeline = scored.find((s) => s.run.caller === 'LAG');
  const lag = scored.find((s) => s.run.caller === 'LAG-unscored') ?? pipeline;
  const peers = scored.filter((s) => !s.run.caller.startsWith('LAG') && s.summary !== null);
  if (!lag?.summary || peers.length === 0) return ['acceptance: needs LAG and at least one peer with a call set'];
  const ok = (b: boolean): string => (b ? 'yes' : 'NO');
  const lines: string[] = [];
  const best = peers.reduce((a, b) => ((b.summary!.overall.f1 ?? 0) > (a.summary!.overall.f1 ?? 0) ? b : a));
  const lagF1 = lag.summary.overall.f1 ?? 0;
  const bestF1 = best.summary!.overall.f1 ?? 0;
  lines.push(`overall F1 at least the best peer's: ${ok(lagF1 >= bestF1)} (LAG ${f3(lagF1)}, ${best.run.caller} ${f3(bestF1)})`);
  const behind = TYPES.flatMap((t) => {
    const peerBest = Math.max(...peers.map((p) => p.summary!.byType[t]?.f1 ?? 0));
    const mine = lag.summary!.byType[t]?.f1 ?? 0;
    return mine < peerBest - 0.05 ? [`${t} ${f3(mine)} vs ${f3(peerBest)}`] : [];
  });
  lines.push(`no class more than 0.05 below the best peer: ${ok(behind.length === 0)}${behind.length > 0 ? ` (${behind.join(', ')})` : ''}`);
  const insRecall = lag.summary.byType.INS?.recall ?? 0;
  lines.push(`insertion recall at least 0.5: ${ok(insRecall >= 0.5)} (${f3(insRecall)})`);
  const delly = scored.find((s) => s.run.caller === 'delly');
  if (delly && delly.run.wallSeconds !== null && pipeline?.run.wallSeconds != null) {
    lines.push(
      `wall time of the local pipeline no slower than DELLY: ${ok(pipeline.run.wallSeconds <= delly.run.wallSeconds)} (LAG ${secs(pipeline.run.wallSeconds)} s, DELLY ${secs(delly.run.wallSeconds)} s)`,
    );
  }
  return lines;
}

// ---------------------------------------------------------------- the doc

export const BEGIN = '<!-- bench:begin (generated by npm run bench; edits inside are overwritten) -->';
export const END = '<!-- bench:end -->';

/** Replaces the generated section of the doc (or appends one). */
export function replaceGenerated(doc: string, generated: string): string {
  const block = `${BEGIN}\n${generated.trim()}\n${END}`;
  const b = doc.indexOf(BEGIN);
  const e = doc.indexOf(END);
  if (b >= 0 && e > b) return doc.slice(0, b) + block + doc.slice(e + END.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

// ---------------------------------------------------------------- CLI

class UsageError extends Error {}

function optionsFrom(args: string[]): MatchOptions {
  const i = args.indexOf('--missing-gt');
  if (i < 0) return TRUVARI_DEFAULTS;
  const v = args[i + 1];
  if (v !== 'include' && v !== 'exclude') throw new UsageError(`--missing-gt: '${v}' is not include or exclude`);
  return { ...TRUVARI_DEFAULTS, missingGenotype: v };
}

function pairArg(args: string[], flag: string): [string, string] | null {
  const i = args.indexOf(flag);
  if (i < 0) return null;
  const a = args[i + 1];
  const b = args[i + 2];
  if (!a || !b || a.startsWith('--') || b.startsWith('--')) throw new UsageError(`${flag} needs TRUTH.vcf RUNS_DIR`);
  return [a, b];
}

function valueArg(args: string[], flag: string): string | null {
  const i = args.indexOf(flag);
  if (i < 0) return null;
  const v = args[i + 1];
  if (!v || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return v;
}

function score(args: string[]): void {
  const [truthPath, callPath] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--missing-gt');
  if (!truthPath || !callPath) throw new UsageError('score TRUTH.vcf[.gz] CALLS.vcf[.gz]');
  const opts = optionsFrom(args);
  const truth = prepare(readVcfFile(truthPath), 'truth', opts);
  const calls = prepare(readVcfFile(callPath), 'call', opts);
  const s = summarise(compareEvents(truth, calls, opts));
  const rows = [
    ['all', s.overall] as const,
    ...Object.entries(s.byType).map(([k, c]) => [k, c] as const),
    ...SIZE_BINS.filter((b) => s.bySize[b.label]).map((b) => [b.label, s.bySize[b.label]!] as const),
  ].map(([k, c]) => [k, String(c.tpTruth), String(c.tpCall), String(c.fp), String(c.fn), f3(c.precision), f3(c.recall), f3(c.f1)]);
  console.log(renderTable(['', 'TP', 'TP-call', 'FP', 'FN', 'precision', 'recall', 'F1'], rows, false));
  console.log(`genotype agrees on ${s.genotype.concordant}/${s.genotype.compared} matched events`);
  console.log(`left out: truth ${JSON.stringify(truth.excluded)}, calls ${JSON.stringify(calls.excluded)}`);
}

function excludedLine(scored: ScoredRun[]): string {
  return scored
    .filter((s) => s.excludedCalls !== null)
    .map((s) => {
      const parts = Object.entries(s.excludedCalls!).map(([k, v]) => `${v} ${k}`);
      return `- ${s.run.caller}: ${parts.length > 0 ? parts.join(', ') : 'none'}`;
    })
    .join('\n');
}

/**
 * One simulated set's part of the report: the tables, the calibration of
 * LAG's scores and the acceptance lines (issue 3's only on the clean set).
 */
function simSection(
  title: string,
  set: [string, string],
  opts: MatchOptions,
  what: { issue3: boolean; scan: string[] | null },
): { md: string[]; json: Record<string, unknown> } {
  const truth = prepare(readVcfFile(set[0]), 'truth', opts);
  const scored = scoreRuns(truth, listRuns(set[1]), opts);
  console.log(`\n${title}: ${truth.events.length} truth events, scored with truvari's rules (-r 500 -P 0.7 -p 0 -O 0)\n`);
  console.log(mainTable(scored, truth, false));
  for (const s of scored) if (s.run.note) console.log(`${s.run.caller}: ${s.run.note}`);
  const md: string[] = ['', `### ${title}`, ''];
  md.push(`${truth.events.length} truth events. F1 per type and per size bin (truth events in brackets); wall time and peak RSS from \`/usr/bin/time -v\` (largest single process) and, in *tree RSS*, summed over the caller's process tree (sampled every 0.5 s).`, '');
  md.push(mainTable(scored, truth, true));
  const notes = scored.filter((s) => s.run.note).map((s) => `- ${s.run.caller}: ${s.run.note}`);
  if (notes.length > 0) md.push('', ...notes);
  if (what.issue3) {
    const acceptance = acceptanceLines(scored);
    console.log(`issue 3 acceptance: ${acceptance.join('; ')}`);
    md.push('', "Issue 3's acceptance on this set:", '', ...acceptance.map((l) => `- ${l}`));
  }
  if (what.scan) {
    console.log(what.scan.join('\n'));
    md.push('', ...what.scan);
  }
  md.push('', 'Precision / recall (TP / FP / FN), overall and by type:', '');
  md.push(detailTable(scored, ['all', ...TYPES], (s) => ({ all: s.overall, ...s.byType }), true));
  md.push('', 'Precision / recall (TP / FP / FN) by size (recall by the truth size, precision by the call size; `<50` holds calls of 30–49 bp):', '');
  md.push(detailTable(scored, SIZE_BINS.map((b) => b.label), (s) => s.bySize, true));
  md.push('', 'Genotype (het vs hom) agreement on matched events:', '');
  md.push(
    renderTable(
      ['caller', 'agree / compared'],
      scored.filter((s) => s.summary).map((s) => [s.run.caller, `${s.summary!.genotype.concordant}/${s.summary!.genotype.compared}`]),
      true,
    ),
  );
  md.push('', 'Calls left out before matching:', '', excludedLine(scored));
  // Issue 4: scored (LAG) vs unscored (LAG-unscored) are the first two rows above; here, the scores' calibration.
  const lagRun = scored.find((x) => x.run.caller === 'LAG')?.run;
  const cal = lagRun?.vcf ? calibration(truth, lagRun.vcf, opts) : null;
  if (cal) {
    const scoredF1 = scored.find((x) => x.run.caller === 'LAG')?.summary?.overall.f1 ?? null;
    const unscoredF1 = scored.find((x) => x.run.caller === 'LAG-unscored')?.summary?.overall.f1 ?? null;
    const ok = (b: boolean): string => (b ? 'yes' : 'NO');
    md.push(
      '',
      `Calibration of LAG's scores (INFO/PROB) on this set: ${cal.candidates} candidates (every FILTER), each labelled true when its claim holds (it matches a truth event; an insertion of "at least L bp" is true beside a truth insertion at least 0.7 L long). Expected calibration error **${f3(cal.ece)}** (${f3(cal.eceTruvari)} labelling by truvari's match alone). F1 with the model's FILTER (LAG) ${f3(scoredF1)}, with the caller's own filters (LAG-unscored) ${f3(unscoredF1)}.`,
      '',
      calibrationTable(cal, true),
      '',
      "Issue 4's acceptance on this set (seeds and regions never used in training):",
      '',
      `- scored F1 at least unscored F1 + ${ISSUE4_MIN_GAIN}: ${ok(scoredF1 !== null && unscoredF1 !== null && scoredF1 >= unscoredF1 + ISSUE4_MIN_GAIN)} (${f3(scoredF1)} vs ${f3(unscoredF1)}; ` +
        `the candidates of every FILTER hold ${f3(cal.candidateRecall)} of the truth events, so a perfect filter of them would reach F1 ${f3(cal.filterCeilingF1)}` +
        `${unscoredF1 !== null && cal.filterCeilingF1 < unscoredF1 + ISSUE4_MIN_GAIN ? `, short of the ${f3(unscoredF1 + ISSUE4_MIN_GAIN)} this line asks: no scorer of these candidates can meet it` : ''})`,
      `- scored F1 at least ${ISSUE4_MIN_F1.toFixed(2)}: ${ok(scoredF1 !== null && scoredF1 >= ISSUE4_MIN_F1)} (${f3(scoredF1)})`,
      `- expected calibration error at most ${ISSUE4_MAX_ECE}: ${ok(cal.ece <= ISSUE4_MAX_ECE)} (${f3(cal.ece)})`,
    );
    console.log(`calibration of LAG's scores: ${cal.candidates} candidates, ECE ${f3(cal.ece)} (truvari labels ${f3(cal.eceTruvari)}); F1 scored ${f3(scoredF1)} vs unscored ${f3(unscoredF1)}`);
  }
  return {
    md,
    json: { title, truthEvents: truth.events.length, excludedTruth: truth.excluded, callers: scored.map((s) => ({ ...s.run, summary: s.summary, excludedCalls: s.excludedCalls })) },
  };
}

function report(args: string[]): void {
  const opts = optionsFrom(args);
  const sim = pairArg(args, '--sim');
  if (!sim) throw new UsageError('report needs --sim TRUTH.vcf.gz RUNS_DIR');
  const manta = pairArg(args, '--manta');
  const na12878 = pairArg(args, '--na12878');
  const docPath = valueArg(args, '--doc');
  const jsonPath = valueArg(args, '--json');
  const scanPath = valueArg(args, '--scan');
  const title = valueArg(args, '--title') ?? 'simulated set';
  const setupPath = valueArg(args, '--setup');
  const simArtefacts = pairArg(args, '--sim-artefacts');
  const artefactsTitle = valueArg(args, '--artefacts-title') ?? 'simulated set with artefacts';
  const scan = scanPath ? scanLines(scanPath) : null;
  const md: string[] = [];
  md.push(`Run on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`);
  if (setupPath && existsSync(setupPath)) md.push('', readFileSync(setupPath, 'utf8').trim());
  const clean = simSection(title, sim, opts, { issue3: true, scan });
  md.push(...clean.md);
  const json: Record<string, unknown> = { date: new Date().toISOString(), options: opts, sim: clean.json };
  if (simArtefacts) {
    const withArtefacts = simSection(artefactsTitle, simArtefacts, opts, { issue3: false, scan: null });
    md.push(...withArtefacts.md);
    json.simArtefacts = withArtefacts.json;
  }

  if (manta) {
    const mTruth = prepare(readVcfFile(manta[0]), 'truth', opts);
    const mScored = scoreRuns(mTruth, listRuns(manta[1]), opts);
    const findings = findPairs(mTruth, mScored, opts);
    console.log('\nManta demo (HCC1954 tumour, t(8;11) COST16011): breakend pairs of Manta\'s expected VCF\n');
    console.log(pairsTable(findings, mScored, false));
    md.push('', '### Manta demo: HCC1954 t(8;11) (real tumour reads)', '');
    md.push("Breakend pairs of Manta's expected somatic VCF (`expected.somaticSV.vcf.gz`), found when a call joins both ends within 500 bp.", '');
    md.push(pairsTable(findings, mScored, true));
    json.manta = findings.map((f) => ({ truth: describeEnds(f.truth), found: f.found }));
  }

  if (na12878) {
    const runs = listRuns(na12878[1]);
    const findings = genotypeFindings(na12878[0], runs, opts);
    console.log('\nNA12878 at 212 LUMPY sites, expected genotypes from svtyper (example.gt.vcf)\n');
    console.log(genotypeTable(findings, false));
    md.push('', '### NA12878 at svtyper\'s 212 sites (real reads)', '');
    md.push(
      "Sites genotyped 0/1 or 1/1 by svtyper (`example.gt.vcf`; svtyper's output, not an orthogonal truth) found with truvari's rules, genotype agreement on those found, and the 0/0 sites where the caller still made a call.",
      '',
    );
    md.push(genotypeTable(findings, true));
    json.na12878 = findings.map((f) => ({ ...f, run: f.run.caller }));
  }

  md.push('', '#### Commands', '');
  const sets: [string, [string, string] | null][] = [
    [title, sim],
    [artefactsTitle, simArtefacts],
    ['Manta demo', manta],
    ['NA12878', na12878],
  ];
  for (const [label, set] of sets) {
    if (set === null) continue;
    const commands = listRuns(set[1]).map((r) =>
      r.command === '?' ? `# ${r.caller} (${r.version}): not run — ${r.error ?? '?'}` : `# ${r.caller} (${r.version})\n${r.command}`,
    );
    md.push(`${label}:`, '', '```bash', ...commands, '```', '');
  }

  if (docPath) {
    const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
    writeFileSync(docPath, replaceGenerated(doc, md.join('\n')));
    console.log(`\nwritten: ${docPath}`);
  }
  if (jsonPath) {
    writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`written: ${jsonPath}`);
  }
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'score') score(rest);
    else if (command === 'report') report(rest);
    else throw new UsageError('usage: compare.js score TRUTH CALLS | report --sim TRUTH RUNS [...] (see scripts/bench/compare.ts)');
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
