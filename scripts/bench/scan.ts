/**
 * Scan benchmark: LAG's region scan (shared/bam/scan.ts, as the activities
 * call it) against `samtools view -c` on the same BAM and regions, in one
 * invocation. Prints reads/s of both, the ratio (goal: LAG >= 0.5 x
 * samtools) and LAG's peak RSS, and writes bench-data/scan.json.
 *
 *   npx tsc -p scripts/tsconfig.json && node dist/scripts/bench/scan.js [BAM ...] [--reps N] [--gmod]
 *
 * Default BAMs: ../shared/data/smoove-hg002-grch37-chr1-3mb/NA24385_chr1.bam
 * (real HG002 reads, ~9x over 3 Mb) and, when present, every sim.bam under
 * bench-data/ (the 30x simulated genome of scripts/bench/make-sim.sh).
 * Regions: every contig of the BAM from 0 to its length, so both tools visit
 * every placed read. Each tool runs `--reps` times (default 5), the runs
 * of the tools interleaved, after one untimed warm-up; medians are compared. samtools is timed as a child
 * process (its start-up, ~5 ms, included); LAG is timed in-process from
 * opening the BAM (header, index) to the last record. `--gmod` also times
 * the @gmod/bam path scan.ts used before (slow: ~300k reads/s).
 *
 * Both tools are single-threaded here (samtools without -@, LAG's inflate is
 * synchronous on the main thread).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFile } from 'generic-filehandle2';
import { openAlignment } from '../../shared/bam/open';
import { EXCLUDED_FLAGS } from '../../shared/bam/record';
import { scanRegion } from '../../shared/bam/scan';

/** Repository root (this file runs from dist/scripts/bench/). */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_BAM = path.resolve(ROOT, '..', 'shared', 'data', 'smoove-hg002-grch37-chr1-3mb', 'NA24385_chr1.bam');
const OUT = path.join(ROOT, 'bench-data', 'scan.json');
/** The evidence filter of the callers: `samtools view -F 0xF04 -q 20` (0xF04 = EXCLUDED_FLAGS). */
const MIN_MAPQ = 20;
const GOAL_RATIO = 0.5;

interface Timing {
  /** Wall seconds of each timed run. */
  runs: number[];
  medianSeconds: number;
  readsPerSecond: number;
}

interface BamResult {
  bam: string;
  bytes: number;
  regions: string[];
  reads: number;
  readsPassingFilter: number;
  samtools: Timing;
  samtoolsFiltered: Timing;
  lag: Timing;
  lagColdSeconds: number;
  lagCheckCrc: Timing;
  gmod?: Timing;
  ratio: number;
  ratioFiltered: number;
  /** process.resourceUsage().maxRSS after this BAM's runs (MiB); the process peak so far. */
  peakRssMiB: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timing(runs: number[], reads: number): Timing {
  const m = median(runs);
  return { runs: runs.map((r) => Number(r.toFixed(4))), medianSeconds: Number(m.toFixed(4)), readsPerSecond: Math.round(reads / m) };
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Runs `samtools args` once; returns the count it prints and the wall seconds (start-up included). */
function samtoolsOnce(args: string[]): { count: number; seconds: number } {
  const t = process.hrtime.bigint();
  const out = execFileSync('samtools', args, { encoding: 'utf8' });
  return { count: Number(out.trim()), seconds: seconds(t) };
}

interface Contig {
  name: string;
  length: number;
}

async function lagOnce(bamPath: string, contigs: Contig[], checkCrc: boolean): Promise<{ reads: number; passing: number; seconds: number }> {
  const t = process.hrtime.bigint();
  const name = path.basename(bamPath);
  const aln = await openAlignment(new LocalFile(bamPath), new LocalFile(`${bamPath}.bai`), { bam: name, bai: `${name}.bai` });
  let reads = 0;
  let passing = 0;
  for (const c of contigs) {
    reads += await scanRegion(
      aln.bam,
      name,
      c.name,
      0,
      c.length,
      (r) => {
        if (!(r.flags & EXCLUDED_FLAGS) && r.mapq >= MIN_MAPQ) passing++;
      },
      { windowSize: 1_000_000, checkCrc },
    );
  }
  return { reads, passing, seconds: seconds(t) };
}

/** The path scan.ts used before: @gmod/bam getRecordsForRange per 1 Mb window. */
async function gmodOnce(bamPath: string, contigs: Contig[]): Promise<{ reads: number; seconds: number }> {
  const t = process.hrtime.bigint();
  const name = path.basename(bamPath);
  const aln = await openAlignment(new LocalFile(bamPath), new LocalFile(`${bamPath}.bai`), { bam: name, bai: `${name}.bai` });
  let reads = 0;
  for (const c of contigs) {
    for (let ws = 0; ws < c.length; ws += 1_000_000) {
      const we = Math.min(c.length, ws + 1_000_000);
      for (const r of await aln.bam.getRecordsForRange(c.name, ws, we)) if (r.start >= ws && r.start < we) reads++;
      aln.bam.chunkFeatureCache.clear();
    }
  }
  return { reads, seconds: seconds(t) };
}

async function benchBam(bamPath: string, reps: number, withGmod: boolean): Promise<BamResult> {
  const contigs: Contig[] = execFileSync('samtools', ['view', '-H', bamPath], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('@SQ'))
    .map((l) => ({ name: /\tSN:([^\t]+)/.exec(l)?.[1] ?? '', length: Number(/\tLN:(\d+)/.exec(l)?.[1] ?? 0) }));
  const regions = contigs.map((c) => `${c.name}:1-${c.length}`);
  console.log(`\n${bamPath} (${(fs.statSync(bamPath).size / 1e6).toFixed(1)} MB, ${contigs.length} contigs)`);

  const allArgs = ['view', '-c', bamPath, ...regions];
  const filteredArgs = ['view', '-c', '-F', '0xF04', '-q', String(MIN_MAPQ), bamPath, ...regions];
  // Untimed warm-up of each (page cache, JIT); LAG's is reported as the cold run.
  const all = { count: samtoolsOnce(allArgs).count, runs: [] as number[] };
  const filtered = { count: samtoolsOnce(filteredArgs).count, runs: [] as number[] };
  const cold = await lagOnce(bamPath, contigs, false);
  const lagRuns: number[] = [];
  const crcRuns: number[] = [];
  // Runs interleaved, so that load from other processes weighs on both tools alike.
  for (let i = 0; i < reps; i++) {
    all.runs.push(samtoolsOnce(allArgs).seconds);
    filtered.runs.push(samtoolsOnce(filteredArgs).seconds);
    const r = await lagOnce(bamPath, contigs, false);
    if (r.reads !== all.count || r.passing !== filtered.count) {
      throw new Error(`LAG counted ${r.reads} reads (${r.passing} passing) but samtools ${all.count} (${filtered.count}) in ${bamPath}`);
    }
    lagRuns.push(r.seconds);
    crcRuns.push((await lagOnce(bamPath, contigs, true)).seconds);
  }
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);

  let gmod: Timing | undefined;
  if (withGmod) {
    const g = await gmodOnce(bamPath, contigs);
    if (g.reads !== all.count) throw new Error(`@gmod/bam counted ${g.reads} reads, samtools ${all.count}`);
    gmod = timing([g.seconds], g.reads);
  }

  const result: BamResult = {
    bam: path.relative(ROOT, bamPath),
    bytes: fs.statSync(bamPath).size,
    regions,
    reads: all.count,
    readsPassingFilter: filtered.count,
    samtools: timing(all.runs, all.count),
    samtoolsFiltered: timing(filtered.runs, all.count),
    lag: timing(lagRuns, all.count),
    lagColdSeconds: Number(cold.seconds.toFixed(4)),
    lagCheckCrc: timing(crcRuns, all.count),
    ...(gmod ? { gmod } : {}),
    ratio: 0,
    ratioFiltered: 0,
    peakRssMiB,
  };
  result.ratio = Number((result.lag.readsPerSecond / result.samtools.readsPerSecond).toFixed(3));
  result.ratioFiltered = Number((result.lag.readsPerSecond / result.samtoolsFiltered.readsPerSecond).toFixed(3));

  const row = (label: string, t: Timing): string =>
    `  ${label.padEnd(34)} ${t.medianSeconds.toFixed(3).padStart(8)} s  ${(t.readsPerSecond / 1e6).toFixed(2).padStart(6)} M reads/s`;
  console.log(`  ${all.count} reads (${filtered.count} pass -F 0xF04 -q ${MIN_MAPQ}); median of ${reps} runs`);
  console.log(row('samtools view -c', result.samtools));
  console.log(row(`samtools view -c -F 0xF04 -q ${MIN_MAPQ}`, result.samtoolsFiltered));
  console.log(row('LAG scanRegion', result.lag));
  console.log(row('LAG scanRegion (checkCrc)', result.lagCheckCrc));
  if (gmod) console.log(row('@gmod/bam getRecordsForRange (before)', gmod));
  console.log(`  LAG cold first run ${cold.seconds.toFixed(3)} s (JIT warm-up included)`);
  console.log(
    `  ratio LAG / samtools view -c: ${result.ratio.toFixed(2)} (vs -F 0xF04 -q ${MIN_MAPQ}: ${result.ratioFiltered.toFixed(2)}; goal >= ${GOAL_RATIO})`,
  );
  console.log(`  peak RSS of this process so far: ${peakRssMiB} MiB`);
  return result;
}

/** sim.bam files under bench-data/ (made by scripts/bench/make-sim.sh), a few levels deep. */
function simulatedBams(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 3 || !fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.name === 'sim.bam' && fs.existsSync(`${p}.bai`)) found.push(p);
    }
  };
  walk(path.join(ROOT, 'bench-data'), 0);
  return found.sort();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let reps = 5;
  let withGmod = false;
  const bams: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--reps') reps = Number(args[++i]);
    else if (a === '--gmod') withGmod = true;
    else bams.push(path.resolve(a));
  }
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps takes a positive integer');
  if (bams.length === 0) bams.push(DEFAULT_BAM, ...simulatedBams());
  for (const b of bams) {
    if (!fs.existsSync(b) || !fs.existsSync(`${b}.bai`)) throw new Error(`${b} or ${b}.bai does not exist`);
  }

  const samtoolsVersion = execFileSync('samtools', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  console.log(`${samtoolsVersion}, node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
  const results: BamResult[] = [];
  for (const b of bams) results.push(await benchBam(b, reps, withGmod));

  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(
    OUT,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        command: `node ${path.relative(ROOT, __filename)} ${args.join(' ')}`.trim(),
        samtools: samtoolsVersion,
        node: process.version,
        cpus: os.cpus().length,
        goalRatio: GOAL_RATIO,
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${path.relative(process.cwd(), OUT)}`);
  const worst = Math.min(...results.map((r) => r.ratio));
  if (worst < GOAL_RATIO) {
    console.log(`ratio ${worst.toFixed(2)} is below the goal ${GOAL_RATIO}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 2;
});
