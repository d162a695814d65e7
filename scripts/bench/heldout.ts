/**
 * Issue 4's table over several held-out genomes: for each seed, the plain
 * simulated set and its copy with the artefact layer, LAG (scored) against
 * LAG-unscored (the caller's own filters), from the runs that
 * `BENCH_SEED=N BENCH_CALLERS="LAG LAG-unscored" BENCH_SKIP_REAL=1 BENCH_NO_DOC=1 npm run bench`
 * left under bench-data/sim-seedN{,-artefacts}/runs.
 *
 *   node dist/scripts/bench/heldout.js [--data bench-data] SEED [SEED ...]
 *
 * One markdown row per set: scored and unscored F1 (truvari's rules), the
 * gain, the calibration error by the call's claim (truvari-only in brackets),
 * FP and FN scored / unscored, the perfect-filter ceiling, and the F1 of
 * every candidate reported (the candidates the ceiling is measured on,
 * compare.ts asCandidates: what the caller proposes, before any filter). Then one line
 * per acceptance item, counted over the sets. A set whose runs are missing is
 * named, never skipped in silence.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DYSGU_F1, ISSUE4_MAX_ECE, ISSUE4_MIN_F1, ISSUE4_MIN_GAIN, asCandidates, calibration, readRun } from './compare';
import { TRUVARI_DEFAULTS, compareEvents, counts, prepare, readVcfFile, summarise, type Counts, type VcfRecord } from './truvariMatch';

/** The F1 floor: issue 4's 0.90, and above dysgu's F1 by the gain (0.904). */
const MIN_F1 = Math.max(ISSUE4_MIN_F1, Math.round((DYSGU_F1 + ISSUE4_MIN_GAIN) * 1000) / 1000);

interface Row {
  set: string;
  scored: number | null;
  unscored: number | null;
  ece: number | null;
  eceTruvari: number | null;
  fp: [number, number];
  fn: [number, number];
  ceiling: number | null;
  allCandidates: number | null;
  /** Truvari's counts, scored and unscored, for the pooled F1 over several sets. */
  counts: [Counts, Counts];
}

function evaluate(dir: string, set: string): Row | string {
  const truthPath = join(dir, 'truth.vcf.gz');
  if (!existsSync(truthPath)) return `${set}: no ${truthPath} (simulate it with the bench first)`;
  const runs = ['LAG', 'LAG-unscored'].map((c) => readRun(join(dir, 'runs', c), c));
  const bad = runs.find((r) => r.vcf === null || r.error !== null);
  if (bad) return `${set}: ${bad.caller} under ${join(dir, 'runs', bad.caller)}: ${bad.error ?? 'no call set'}`;
  const truth = prepare(readVcfFile(truthPath), 'truth', TRUVARI_DEFAULTS);
  const summaryOf = (records: VcfRecord[]) => summarise(compareEvents(truth, prepare(records, 'call', TRUVARI_DEFAULTS), TRUVARI_DEFAULTS)).overall;
  const [scored, unscored] = runs.map((r) => readVcfFile(r.vcf!));
  const [sc, un, all] = [summaryOf(scored!), summaryOf(unscored!), summaryOf(asCandidates(unscored!))];
  const cal = calibration(truth, runs[0]!.vcf!, TRUVARI_DEFAULTS);
  return {
    set,
    scored: sc.f1,
    unscored: un.f1,
    ece: cal?.ece ?? null,
    eceTruvari: cal?.eceTruvari ?? null,
    fp: [sc.fp, un.fp],
    fn: [sc.fn, un.fn],
    ceiling: cal?.filterCeilingF1 ?? null,
    allCandidates: all.f1,
    counts: [sc, un],
  };
}

const f3 = (x: number | null): string => (x === null ? '–' : x.toFixed(3));
/** Scored minus unscored F1; null when either has no F1 (no call and no truth event matched). */
const gain = (r: Row): number | null => (r.scored === null || r.unscored === null ? null : r.scored - r.unscored);
/** The gain bar, tested as the bench's report tests it (compare.ts). */
const gainHolds = (r: Row): boolean => r.scored !== null && r.unscored !== null && r.scored >= r.unscored + ISSUE4_MIN_GAIN;
const signed = (x: number | null): string => (x === null ? '–' : `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(3)}`);

export function main(argv: string[]): number {
  const args = [...argv];
  let data = 'bench-data';
  const at = args.indexOf('--data');
  if (at >= 0) {
    data = args[at + 1] ?? '';
    args.splice(at, 2);
  }
  const seeds = args.filter((a) => /^\d+$/.test(a));
  if (seeds.length === 0 || seeds.length !== args.length) {
    console.error('usage: node dist/scripts/bench/heldout.js [--data bench-data] SEED [SEED ...]  (seeds are whole numbers)');
    return 2;
  }
  const rows: Row[] = [];
  const problems: string[] = [];
  for (const seed of seeds) {
    for (const suffix of ['', '-artefacts']) {
      const r = evaluate(join(data, `sim-seed${seed}${suffix}`), `seed ${seed}${suffix ? ' with artefacts' : ''}`);
      if (typeof r === 'string') problems.push(r);
      else rows.push(r);
    }
  }
  console.log('| set | LAG (scored) | LAG-unscored | gain | ECE | FP scored / unscored | FN scored / unscored | perfect filter | all candidates |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.set} | ${f3(r.scored)} | ${f3(r.unscored)} | ${signed(gain(r))} | ${f3(r.ece)} (${f3(r.eceTruvari)}) | ${r.fp.join(' / ')} | ${r.fn.join(' / ')} | ${f3(r.ceiling)} | ${f3(r.allCandidates)} |`,
    );
  }
  const count = (pick: (r: Row) => boolean, of: Row[]): string => `${of.filter(pick).length} of ${of.length}`;
  const art = rows.filter((r) => r.set.endsWith('with artefacts'));
  const plain = rows.filter((r) => !r.set.endsWith('with artefacts'));
  console.log('');
  console.log(`scored F1 >= ${MIN_F1.toFixed(3)} (dysgu ${DYSGU_F1} + ${ISSUE4_MIN_GAIN}): ${count((r) => (r.scored ?? 0) >= MIN_F1, rows)} sets`);
  console.log(`ECE <= ${ISSUE4_MAX_ECE} (labels by claim): ${count((r) => r.ece !== null && r.ece <= ISSUE4_MAX_ECE, rows)} sets`);
  console.log(`gain >= ${ISSUE4_MIN_GAIN} over the caller's filters: ${count(gainHolds, art)} sets with artefacts, ${count(gainHolds, plain)} plain`);
  console.log(`  where a perfect filter of the candidates could not reach it: ${count((r) => r.ceiling !== null && r.unscored !== null && r.ceiling < r.unscored + ISSUE4_MIN_GAIN, rows)} sets`);
  // Pooled: F1 of the summed counts (every set's events weigh alike), not the mean of the sets' F1.
  const pooled = (of: Row[], k: 0 | 1): number | null => {
    const sum = (f: (c: Counts) => number) => of.reduce((a, r) => a + f(r.counts[k]), 0);
    return counts(sum((c) => c.tpTruth), sum((c) => c.fn), sum((c) => c.tpCall), sum((c) => c.fp)).f1;
  };
  for (const [label, of] of [['sets with artefacts', art], ['plain sets', plain]] as const) {
    if (of.length === 0) continue;
    const [s, u] = [pooled(of, 0), pooled(of, 1)];
    console.log(`pooled over the ${of.length} ${label}: scored F1 ${f3(s)}, unscored ${f3(u)}, gain ${signed(s === null || u === null ? null : s - u)}`);
  }
  for (const p of problems) console.error(`missing: ${p}`);
  return problems.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
