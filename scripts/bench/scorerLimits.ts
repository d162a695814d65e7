/**
 * Two measurements of what the SV scorer can and cannot tell apart, from the
 * LAG runs the bench left under bench-data (docs/scoring.md):
 *
 *   node dist/scripts/bench/scorerLimits.js artefacts [--data bench-data] SEED [SEED ...]
 *
 * The calls the artefact layer adds (false calls the caller passes on
 * sim-seedN-artefacts that it does not pass on sim-seedN), by the allele
 * fraction of the chimera hotspot they come from (artefacts.tsv, within
 * 1 kb), and how many of them the scorer keeps. Needs the LAG and
 * LAG-unscored runs of both sets (`BENCH_SEED=N BENCH_CALLERS="LAG LAG-unscored" npm run bench`).
 *
 *   node dist/scripts/bench/scorerLimits.js mosaic SETDIR [SETDIR ...]
 *
 * On sets made by scripts/bench/make-mosaic.sh (scripts/bench/mosaic.sh runs
 * them): the true calls the caller passed (FILTER PASS, or LowProb: the
 * scorer's), and what became of them: kept by the model, withdrawn by it,
 * left to the caller because their depth lies between whole copy numbers
 * (domain rule 3, betweenWholeCopies; "saved" when the model would have
 * withdrawn them), or in a work unit the scorer did not judge (uneven depth).
 * Read from the VCF: PROB is always written, PROB_NOT_APPLIED says the model
 * did not decide, and PROB_NOT_APPLIED_WHY why (genome, betweenCopies, ...).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readRun } from './compare';
import { TRUVARI_DEFAULTS, compareEvents, prepare, readVcfFile, type Comparison, type VcfRecord } from './truvariMatch';

const THRESHOLD = 0.5;

function runOf(dir: string, caller: string): VcfRecord[] {
  const run = readRun(join(dir, 'runs', caller), caller);
  if (run.vcf === null || run.error !== null) throw new Error(`${caller} under ${join(dir, 'runs', caller)}: ${run.error ?? 'no call set'}`);
  return readVcfFile(run.vcf);
}

/** A call set matched against its set's truth (truvari's rules). */
function compareToTruth(dir: string, records: readonly VcfRecord[]): Comparison {
  const truth = prepare(readVcfFile(join(dir, 'truth.vcf.gz')), 'truth', TRUVARI_DEFAULTS);
  return compareEvents(truth, prepare(records, 'call', TRUVARI_DEFAULTS), TRUVARI_DEFAULTS);
}

/** Ids of the false calls (truvari) of a run as written (its own FILTER PASS). */
function falseIds(dir: string, records: VcfRecord[]): Set<string> {
  const cmp = compareToTruth(dir, records);
  return new Set(cmp.calls.flatMap((e, j) => (cmp.callMatch[j] === null ? e.records.map((r) => r.id) : [])));
}

const AF_BINS = [0.03, 0.08, 0.12, 0.16, 0.2, 0.25];

export function artefactsByAlleleFraction(data: string, seeds: readonly string[]): string[] {
  const rows = new Map<string, { passed: number; kept: number }>();
  for (const seed of seeds) {
    const plain = join(data, `sim-seed${seed}`);
    const art = `${plain}-artefacts`;
    const inPlain = falseIds(plain, runOf(plain, 'LAG-unscored'));
    const unscored = runOf(art, 'LAG-unscored');
    const byId = new Map(unscored.map((r) => [r.id, r]));
    const falseUnscored = falseIds(art, unscored);
    const falseScored = falseIds(art, runOf(art, 'LAG'));
    const hotspots = readFileSync(join(art, 'artefacts.tsv'), 'utf8')
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((f) => f[0] === 'hotspot')
      .map((f) => ({ contig: f[2]!, pos: Number(f[3]), af: Number(/af=([0-9.]+)/.exec(f[6] ?? '')?.[1]) }));
    for (const id of falseUnscored) {
      if (inPlain.has(id)) continue;
      const r = byId.get(id)!;
      const near = hotspots.filter((h) => h.contig === r.chrom && Math.abs(h.pos - r.pos) < 1_000);
      let key = 'no hotspot within 1 kb (random chimeras, diverged copies)';
      if (near.length > 0) {
        const af = Math.max(...near.map((h) => h.af));
        // The generator draws 0.03-0.25 (written to 3 decimals): the last bin holds 0.25 itself.
        let i = 0;
        while (i < AF_BINS.length - 2 && af >= AF_BINS[i + 1]!) i++;
        key = `hotspot allele fraction ${AF_BINS[i]!.toFixed(2)}-${AF_BINS[i + 1]!.toFixed(2)}`;
      }
      const row = rows.get(key) ?? { passed: 0, kept: 0 };
      row.passed++;
      if (falseScored.has(id)) row.kept++;
      rows.set(key, row);
    }
  }
  return [
    '| false calls the artefact layer adds | caller passed | scorer kept |',
    '| --- | --- | --- |',
    ...[...rows.entries()].sort().map(([k, v]) => `| ${k} | ${v.passed} | ${v.kept} (${Math.round((100 * v.kept) / v.passed)} %) |`),
  ];
}

export interface MosaicOutcome {
  set: string;
  unitsNotJudged: string[];
  truePassed: number;
  kept: number;
  withdrawn: string[];
  saved: string[];
  rule3Kept: number;
  unitNotJudgedWouldWithdraw: number;
}

export function mosaicOutcome(dir: string): MosaicOutcome {
  const records = runOf(dir, 'LAG');
  const why = (r: VcfRecord) => r.info.get('PROB_NOT_APPLIED_WHY');
  const unitsNotJudged = [...new Set(records.filter((r) => why(r) === 'genome').map((r) => r.chrom))];
  // The calls the caller passed (FILTER PASS, or LowProb: the scorer's), as one PASS set.
  const passed = records.filter((r) => r.filters.includes('PASS') || r.filters.includes('LowProb')).map((r) => ({ ...r, filters: ['PASS'] }));
  const cmp = compareToTruth(dir, passed);
  const byId = new Map(passed.map((r) => [r.id, r]));
  const out: MosaicOutcome = { set: basename(dir), unitsNotJudged, truePassed: 0, kept: 0, withdrawn: [], saved: [], rule3Kept: 0, unitNotJudgedWouldWithdraw: 0 };
  cmp.calls.forEach((event, j) => {
    if (cmp.callMatch[j] === null) return;
    const r = byId.get(event.records[0]!.id)!;
    const p = Number(r.info.get('PROB'));
    const desc = `${r.id} (${r.info.get('SVLEN') ?? 0} bp, fold ${r.info.get('DHFFC') ?? '-'}, ${r.info.get('PE')} pairs, ${r.info.get('SR')} split reads, P ${p})`;
    out.truePassed++;
    const reason = why(r);
    if (reason === 'genome') {
      if (p < THRESHOLD) out.unitNotJudgedWouldWithdraw++;
    } else if (reason === 'betweenCopies') {
      if (p < THRESHOLD) out.saved.push(desc);
      else out.rule3Kept++;
    } else if (!r.info.has('PROB_NOT_APPLIED')) {
      if (p < THRESHOLD) out.withdrawn.push(desc);
      else out.kept++;
    }
  });
  return out;
}

function main(): void {
  const [mode, ...rest] = process.argv.slice(2);
  let data = 'bench-data';
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--data') data = rest[++i] ?? data;
    else args.push(rest[i]!);
  }
  if ((mode !== 'artefacts' && mode !== 'mosaic') || args.length === 0) {
    console.error('usage: scorerLimits.js artefacts [--data bench-data] SEED [SEED ...] | scorerLimits.js mosaic SETDIR [SETDIR ...]');
    process.exit(2);
  }
  if (mode === 'artefacts') {
    for (const line of artefactsByAlleleFraction(data, args)) console.log(line);
    return;
  }
  console.log('| set | work units not judged (uneven depth) | true calls the caller passed | kept by the model | withdrawn by the model | left to the caller by rule 3 (the model would have withdrawn them) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const details: string[] = [];
  for (const dir of args) {
    if (!existsSync(join(dir, 'truth.vcf.gz'))) {
      console.log(`| ${basename(dir)} | no truth.vcf.gz: make the set first (scripts/bench/mosaic.sh) | | | | |`);
      continue;
    }
    const o = mosaicOutcome(dir);
    console.log(`| ${o.set} | ${o.unitsNotJudged.join(', ') || 'none'}${o.unitNotJudgedWouldWithdraw ? ` (there the model would have withdrawn ${o.unitNotJudgedWouldWithdraw})` : ''} | ${o.truePassed} | ${o.kept + o.rule3Kept} | ${o.withdrawn.length} | ${o.saved.length} |`);
    for (const s of o.saved) details.push(`${o.set} left to the caller: ${s}`);
    for (const w of o.withdrawn) details.push(`${o.set} withdrawn: ${w}`);
  }
  if (details.length) console.log(['', ...details].join('\n'));
}

if (require.main === module) main();
