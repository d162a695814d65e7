/**
 * `npm run analyze -- <path/to/sample.bam> [--out DIR]`: uploads a local BAM
 * and its index to the local stack (started here when `npm start` is not
 * running), follows the analysis, prints a summary, and with --out writes
 * DIR/<sample>.vcf.gz and its .tbi. Exits 1 when the analysis fails, with
 * the reason; 2 on bad arguments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleIdFromBlobName } from '../../shared/layout';
import { resetBlobClients } from '../adapters/blobs';
import { resetCosmosClients } from '../adapters/cosmos';
import { findBlob, uploadGenomeFile } from '../adapters/genomes';
import { resetSettingsCache } from '../adapters/settings';
import { instanceIdFor } from '../genomeEvents';
import { type LocalStack, stackFile, startLocalStack } from './stack';
import { applyDevIdentityDefault, DEFAULT_DEV_IDENTITY, dataDirFromEnv, portFromEnv } from './start';
import { NO_DEV_USER, SETTING } from '../adapters/settings';

/** The development identity this command acts as on the API (local mode: the x-lag-dev-* headers). */
function identityHeaders(): Record<string, string> {
  const user = process.env[SETTING.devUser]?.trim();
  const named = user && user.toLowerCase() !== NO_DEV_USER;
  return {
    'x-lag-dev-user': named ? user : DEFAULT_DEV_IDENTITY.user,
    'x-lag-dev-roles': (named ? process.env[SETTING.devRoles] : undefined) ?? 'biologist',
  };
}

class UsageError extends Error {}

interface Args {
  bam: string;
  bai: string;
  out: string | null;
}

export function parseArgs(argv: string[]): Args {
  let bam: string | null = null;
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      out = argv[++i] ?? null;
      if (!out) throw new UsageError('--out needs a directory');
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else if (bam === null) {
      bam = a;
    } else {
      throw new UsageError(`one BAM at a time (got ${bam} and ${a})`);
    }
  }
  if (bam === null) throw new UsageError('no BAM given');
  // npm runs scripts from the project root; paths are the user's, relative to where they typed.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  bam = path.resolve(cwd, bam);
  if (out !== null) out = path.resolve(cwd, out);
  if (!/\.bam$/i.test(bam)) throw new UsageError(`${bam} does not end in .bam`);
  if (!fs.existsSync(bam)) throw new UsageError(`${bam} does not exist`);
  const bai = [`${bam}.bai`, bam.replace(/\.bam$/i, '.bai')].find((p) => fs.existsSync(p));
  if (!bai) throw new UsageError(`${bam} has no index next to it: create it with samtools index ${bam}`);
  return { bam, bai, out };
}

async function runningStackUrl(dataDir: string): Promise<{ url: string; env: Record<string, string> } | null> {
  let info: { url: string; env: Record<string, string> };
  try {
    info = JSON.parse(fs.readFileSync(stackFile(dataDir), 'utf8')) as typeof info;
  } catch {
    return null;
  }
  try {
    const r = await fetch(`${info.url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return r.ok ? info : null;
  } catch {
    return null;
  }
}

interface SampleView {
  runId: string;
  status: string;
  stage: string;
  progress?: { done: number; total: number; chromosomesDone?: number; chromosomesTotal?: number };
  countsByType?: Record<string, number>;
  totalCalls?: number;
  warnings?: string[];
  error?: { code: string; message: string } | null;
  timings?: { seconds: number | null };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const r = await fetch(url, { headers: identityHeaders() });
  return { status: r.status, body: (await r.json()) as T };
}

async function download(url: string, file: string): Promise<void> {
  const r = await fetch(url, { headers: identityHeaders() });
  if (!r.ok) throw new Error(`download of ${url} failed: HTTP ${r.status} ${await r.text()}`);
  fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
}

export async function analyze(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      print(`lag analyze: ${e.message}\nusage: npm run analyze -- <path/to/sample.bam> [--out DIR]`);
      return 2;
    }
    throw e;
  }
  const blobName = path.basename(args.bam);
  const sampleId = sampleIdFromBlobName(blobName);
  const dataDir = dataDirFromEnv();
  let stack: LocalStack | null = null;
  let url: string;
  const running = await runningStackUrl(dataDir);
  if (running) {
    url = running.url;
    Object.assign(process.env, running.env);
    resetSettingsCache();
    resetBlobClients();
    resetCosmosClients();
    print(`using the running local stack at ${url}`);
  } else {
    print('no local stack is running: starting one for this analysis (it stops when this command ends; `npm start` serves the results later)');
    applyDevIdentityDefault();
    stack = await startLocalStack({ dataDir, port: portFromEnv(), log: () => undefined });
    url = stack.url;
  }
  // Stopped from outside (kill, a CI timeout), the stack this command started stops with it: its Azurite and
  // Cosmos API server are child processes, and left running they would hold their ports against the next run.
  const onSignal = (signal: NodeJS.Signals) => {
    print(`lag analyze: ${signal}: stopping the local stack it started`);
    const exit = () => process.exit(signal === 'SIGINT' ? 130 : 143);
    stack!.stop().then(exit, exit); // registered only when this command started the stack
  };
  if (stack) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    print(`uploading ${args.bai} and ${args.bam} as ${sampleId}`);
    await uploadGenomeFile(args.bai, `${blobName}.bai`);
    await uploadGenomeFile(args.bam, blobName);
    const bam = await findBlob('genomes', blobName);
    if (!bam) throw new Error(`${blobName} vanished from the genomes container right after its upload`);
    const runId = instanceIdFor(bam);

    let last = '';
    let view: SampleView | null = null;
    for (;;) {
      const r = await getJson<SampleView>(`${url}/api/samples/${sampleId}`);
      if (r.status === 200 && r.body.runId === runId) {
        view = r.body;
        const p = view.progress;
        const line = `${view.status} — ${view.stage}${p && p.total ? ` — ${p.done}/${p.total} units` : ''}`;
        if (line !== last) print(line);
        last = line;
        if (view.status === 'completed' || view.status === 'failed') break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (view.status === 'failed') {
      print(`analysis FAILED: ${view.error?.message ?? 'no reason recorded'} [${view.error?.code ?? '?'}]`);
      return 1;
    }
    print(`\n${sampleId}: ${view.totalCalls ?? 0} structural variants in ${view.timings?.seconds?.toFixed(1) ?? '?'} s`);
    for (const [type, n] of Object.entries(view.countsByType ?? {})) print(`  ${type}: ${n}`);
    for (const w of view.warnings ?? []) print(`  warning: ${w}`);
    print(`  API: ${url}/api/samples/${sampleId}/svs`);
    print(`  VCF: ${url}/api/samples/${sampleId}/vcf`);
    if (args.out) {
      fs.mkdirSync(args.out, { recursive: true });
      const vcf = path.join(args.out, `${sampleId}.vcf.gz`);
      await download(`${url}/api/samples/${sampleId}/vcf`, vcf);
      await download(`${url}/api/samples/${sampleId}/vcf/index`, `${vcf}.tbi`);
      print(`  written: ${vcf} (+ .tbi)`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (stack) {
      await stack.runner.idle();
      await stack.stop();
    }
  }
}

if (require.main === module) {
  analyze(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`lag analyze: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
