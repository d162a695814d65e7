/**
 * The whole path with every layer real: Azurite, the Cosmos API server, the
 * durable replay engine, the real activities reading BAMs from blobs by byte
 * ranges, and the HTTP API — on the bundled example genome and on each bad
 * input of test/data/bad.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONTAINERS, type SampleDocument, type SvCall } from '../../shared/contracts';
import { loadScorer } from '../../shared/scoring/model';
import { blobCreatedEvent } from '../../shared/events';
import { InvocationContext } from '@azure/functions';
import { deleteBlob } from '../../functions/adapters/blobs';
import { getContainers, readSample } from '../../functions/adapters/cosmos';
import { findBlob, uploadGenomeFile } from '../../functions/adapters/genomes';
import { rebuildProjection } from '../../functions/adapters/projection';
import { handleGenomeEvent, instanceIdFor } from '../../functions/genomeEvents';
import { LocalDurableRunner } from '../../functions/local/durableRunner';
import type { LocalStack } from '../../functions/local/stack';
import { genomeEvent, startTestStack } from './testStack';
import { GenomeWatcher } from '../../functions/local/watcher';
import { AS_ADMIN, withIdentity } from './devIdentity';

const DATA = path.join(__dirname, '..', 'data');
const EXAMPLE = path.join(DATA, 'example', 'example.bam');
const BAD = path.join(DATA, 'bad');
const run = `t${Date.now().toString(36)}`;

let stack: LocalStack;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-pipeline-'));
  // Small windows so the 2 Mb example is split into overlapping units; short waits.
  Object.assign(process.env, {
    LAG_WINDOW_SIZE: '600000',
    LAG_WINDOW_OVERLAP: '100000',
    LAG_RETRY_FIRST_INTERVAL_MS: '50',
    LAG_INDEX_WAIT_SECONDS: '2',
    LAG_INDEX_POLL_SECONDS: '1',
  });
  // The watcher is not started by tests: each test hands its events over itself.
  stack = await startTestStack(tmp);
});

afterAll(async () => {
  await stack?.runner.idle();
  await stack?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function context(): InvocationContext {
  return new InvocationContext({ functionName: 'genomeEvents', invocationId: 'test', logHandler: () => undefined });
}

function event(blobName: string) {
  return genomeEvent(stack, blobName);
}

async function api<T = Record<string, unknown>>(route: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const r = await fetch(`${stack.url}/api/${route}`, withIdentity(AS_ADMIN, init));
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, body: (type.includes('json') ? await r.json() : await r.arrayBuffer()) as T };
}

/** Uploads BAM (+ BAI unless told not to) under a unique sample name and waits for the analysis. */
async function analyse(localBam: string, sample: string, options: { bai?: string | null; baiFirst?: boolean } = {}) {
  const bai = options.bai === undefined ? `${localBam}.bai` : options.bai;
  if (options.baiFirst && bai) await uploadGenomeFile(bai, `${sample}.bam.bai`);
  await uploadGenomeFile(localBam, `${sample}.bam`);
  if (!options.baiFirst && bai) await uploadGenomeFile(bai, `${sample}.bam.bai`);
  const outcome = await event(`${sample}.bam`);
  expect(outcome.action).toBe('started');
  if (outcome.action !== 'started') throw new Error('not started');
  const status = await stack.runner.waitForCompletion(outcome.instanceId, 120_000);
  const doc = await readSample(sample);
  return { outcome, status, doc: doc as SampleDocument };
}

describe('the example genome, end to end', () => {
  const sample = `${run}-example`;
  let result: Awaited<ReturnType<typeof analyse>>;

  beforeAll(async () => {
    result = await analyse(EXAMPLE, sample, { baiFirst: true });
  });

  test('completes, with library statistics, build, counts and timings recorded', () => {
    expect(result.status.runtimeStatus).toBe('Completed');
    const doc = result.doc;
    expect(doc.status).toBe('completed');
    expect(doc.runId).toBe(result.outcome.action === 'started' ? result.outcome.instanceId : '');
    expect(doc.library?.readLength).toBe(150);
    expect(doc.library?.insertSizeMedian).toBeGreaterThan(300);
    expect(doc.library?.insertSizeMedian).toBeLessThan(500);
    expect(doc.totalCalls).toBeGreaterThan(0);
    expect(doc.countsByType.DEL).toBe(doc.totalCalls);
    expect(doc.timings.seconds).toBeGreaterThan(0);
    // 2 Mb in 600 kb windows: four work units, all done.
    expect(doc.progress).toEqual({ done: 4, total: 4 });
    expect(doc.results?.vcf).toMatch(new RegExp(`^${sample}/runs/.+/${sample}\\.vcf\\.gz$`));
    // A 2 Mb contig named 20 matches no human build: analysed, with the warning.
    expect(doc.build).toBeNull();
    expect(doc.warnings.join('\n')).toMatch(/match no known human reference build/);
  });

  test('finds every simulated deletion with its genotype, and nothing else (truth: test/data/example/truth.vcf)', async () => {
    const truth = fs
      .readFileSync(path.join(DATA, 'example', 'truth.vcf'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const f = l.split('\t');
        return { pos: Number(f[1]), end: Number(/END=(\d+)/.exec(f[7]!)![1]), gt: f[9]! };
      });
    expect(truth.length).toBeGreaterThanOrEqual(6);
    const { body } = await api<{ items: { pos1: number; end1: number; genotype: string }[] }>(`samples/${sample}/svs?pass=true&pageSize=1000`);
    // Truth POS is the base before the deletion (VCF padding), as is LAG's VCF POS; the API's pos1 is the first deleted base.
    const near = (c: { pos1: number; end1: number }, t: { pos: number; end: number }) =>
      Math.abs(c.pos1 - 1 - t.pos) <= 100 && Math.abs(c.end1 - t.end) <= 100;
    for (const t of truth) {
      const hit = body.items.find((c) => near(c, t));
      expect({ truth: t, found: hit ? { pos1: hit.pos1, end1: hit.end1, gt: hit.genotype } : null }).toEqual({
        truth: t,
        found: expect.objectContaining({ gt: t.gt }),
      });
    }
    expect(body.items.filter((c) => !truth.some((t) => near(c, t)))).toEqual([]);
  });

  test('every SV carries the model\'s score, the same the scorer gives its features here; the API filters by score', async () => {
    const scorer = await loadScorer();
    const { body } = await api<{ items: (SvCall & { pos1: number })[] }>(`samples/${sample}/svs?pageSize=1000`);
    expect(body.items.length).toBeGreaterThan(0);
    const expected = await scorer.probabilities(body.items);
    body.items.forEach((c, i) => {
      expect(c.modelVersion).toBe(scorer.info.version);
      expect(c.score).toBeCloseTo(expected[i]!, 4);
      const byModel = expected[i]! >= (scorer.info.thresholds[c.type] ?? 0.5) ? 'PASS' : 'LowProb';
      expect(c.filter).toBe(c.callerFilter === 'PASS' ? byModel : c.callerFilter);
    });
    const high = await api<{ items: { score: number }[] }>(`samples/${sample}/svs?minScore=0.9&pageSize=1000`);
    expect(high.body.items.length).toBe(body.items.filter((c) => c.score >= 0.9).length);
    const vcf = await api<ArrayBuffer>(`samples/${sample}/vcf`);
    const file = path.join(tmp, `${sample}-scored.vcf.gz`);
    fs.writeFileSync(file, Buffer.from(vcf.body));
    const probs = execFileSync('bcftools', ['query', '-f', '%QUAL\t%INFO/PROB\n', file], { encoding: 'utf8' }).trim().split('\n');
    expect(probs).toHaveLength(body.items.length);
    for (const line of probs) expect(line).toMatch(/^\d+\t[0-9.]+$/);
  });

  test('the VCF downloads, is read by bcftools, and its index answers region queries', async () => {
    const vcf = await api<ArrayBuffer>(`samples/${sample}/vcf`);
    expect(vcf.status).toBe(200);
    const file = path.join(tmp, `${sample}.vcf.gz`);
    fs.writeFileSync(file, Buffer.from(vcf.body));
    fs.writeFileSync(`${file}.tbi`, Buffer.from((await api<ArrayBuffer>(`samples/${sample}/vcf/index`)).body));
    const records = execFileSync('bcftools', ['view', '-H', file], { encoding: 'utf8' }).trim().split('\n');
    expect(records.length).toBe(result.doc.totalCalls);
    const inRegion = execFileSync('tabix', [file, '20:1-2000000'], { encoding: 'utf8' }).trim().split('\n');
    expect(inRegion.length).toBe(records.length);
    expect(execFileSync('bcftools', ['view', '-h', file], { encoding: 'utf8' })).toMatch(/##contig=<ID=20,length=2000000>/);
  });

  test('lists, shows, filters and pages its SVs', async () => {
    const list = await api<{ samples: { sampleId: string; status: string }[] }>('samples');
    expect(list.body.samples.find((s) => s.sampleId === sample)?.status).toBe('completed');
    const one = await api(`samples/${sample}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ sampleId: sample, status: 'completed', links: { vcf: `/api/samples/${sample}/vcf` } });

    const all = await api<{ items: { id: string; pos1: number; svlen: number; type: string }[] }>(`samples/${sample}/svs?pageSize=1000`);
    expect(all.body.items.length).toBe(result.doc.totalCalls);
    const pos = all.body.items.map((c) => c.pos1);
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);

    const seen: string[] = [];
    let token: string | null = null;
    do {
      const q: string = `samples/${sample}/svs?pageSize=2${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const page = await api<{ items: { id: string }[]; continuationToken: string | null }>(q);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c) => c.id));
      token = page.body.continuationToken;
    } while (token);
    expect(seen).toEqual(all.body.items.map((c) => c.id));

    const big = await api<{ items: { svlen: number }[] }>(`samples/${sample}/svs?minSize=20000`);
    expect(big.body.items.length).toBe(all.body.items.filter((c) => c.svlen >= 20000).length);
    const first = all.body.items[0]!;
    const region = await api<{ items: { id: string }[] }>(`samples/${sample}/svs?region=20:${first.pos1}-${first.pos1 + 1}`);
    expect(region.body.items.map((c) => c.id)).toContain(first.id);
    expect((await api<{ items: unknown[] }>(`samples/${sample}/svs?type=INV`)).body.items).toEqual([]);
  });

  test('bad parameters are 400s that name the parameter; unknown samples 404', async () => {
    const bad = await api<{ error: { code: string; parameter: string; message: string } }>(`samples/${sample}/svs?minScore=high`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_PARAMETER', parameter: 'minScore' });
    expect(bad.body.error.message).toMatch(/'high' is not a score/);
    expect((await api(`samples/${sample}/svs?continuationToken=garbage`)).status).toBe(400);
    expect((await api('samples/nobody-here')).status).toBe(404);
    expect((await api('samples/nobody-here/svs')).status).toBe(404);
    expect((await api('samples?status=done')).status).toBe(400);
    expect((await api('nothing')).status).toBe(404);
    const doc = await api<{ openapi: string; paths: Record<string, unknown> }>('openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/samples/{sampleId}/svs');
  });

  test('the same event twice, or the index event after the BAM, starts nothing more', async () => {
    const again = await event(`${sample}.bam`);
    expect(again).toMatchObject({ action: 'duplicate', instanceId: result.doc.runId });
    expect((await event(`${sample}.bam.bai`)).action).toBe('duplicate');
  });

  test('after a restart (a new runner that remembers nothing) the watcher starts nothing for analysed genomes', async () => {
    const fresh = new LocalDurableRunner();
    const watcher = new GenomeWatcher(fresh, () => undefined);
    const { records } = await rebuildProjection();
    await watcher.prime(records);
    const outcomes = await watcher.pollOnce();
    // Primed: the analysed BAM and its index are not even handed over.
    expect(outcomes.filter((o) => 'sampleId' in o && o.sampleId === sample)).toEqual([]);
    // And without priming, the sample record alone makes the event a duplicate.
    const again = await handleGenomeEvent(
      blobCreatedEvent(CONTAINERS.genomes, `${sample}.bam`, (await findBlob(CONTAINERS.genomes, `${sample}.bam`))!.etag, new Date()),
      fresh,
      context(),
    );
    expect(again.action).toBe('duplicate');
    await fresh.idle();
  });

  test('Cosmos is rebuilt from the results container', async () => {
    await getContainers().samples.item(sample, sample).delete();
    expect(await readSample(sample)).toBeUndefined();
    await rebuildProjection();
    expect((await readSample(sample))?.status).toBe('completed');
    expect((await api<{ items: unknown[] }>(`samples/${sample}/svs?pageSize=1000`)).body.items.length).toBe(result.doc.totalCalls);
  });

  test('re-running is refused while running, and a re-run replaces the results', async () => {
    const rerun = await api<{ runId: string }>(`samples/${sample}/rerun`, { method: 'POST' });
    expect(rerun.status).toBe(202);
    expect((await api(`samples/${sample}/rerun`, { method: 'POST' })).status).toBe(409);
    const done = await stack.runner.waitForCompletion(rerun.body.runId, 120_000);
    expect(done.runtimeStatus).toBe('Completed');
    const doc = await readSample(sample);
    expect(doc).toMatchObject({ runId: rerun.body.runId, status: 'completed', totalCalls: result.doc.totalCalls });
    const svs = await api<{ runId: string; items: unknown[] }>(`samples/${sample}/svs?pageSize=1000`);
    expect(svs.body.runId).toBe(rerun.body.runId);
    expect(svs.body.items.length).toBe(result.doc.totalCalls);
  });
});

describe('the example genome on GRCh37 coordinates: annotated SVs', () => {
  test('the build is detected and every deletion carries its genes, cytobands and ISCN description', async () => {
    const sample = `${run}-example37`;
    const { status, doc } = await analyse(path.join(DATA, 'example-grch37', 'example-grch37.bam'), sample);
    expect(status.runtimeStatus).toBe('Completed');
    expect(doc.build).toBe('GRCh37');
    const truth = fs
      .readFileSync(path.join(DATA, 'example', 'truth.vcf'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => Number(l.split('\t')[1]) + 10_000_000);
    type Annotated = { pos1: number; type: string; annotation?: { assessed: boolean; cytobands: string[]; iscn: string | null; genes: { symbol: string }[] } };
    const { body } = await api<{ items: Annotated[] }>(`samples/${sample}/svs?pass=true&pageSize=1000`);
    for (const pos of truth) {
      const hit = body.items.find((c) => c.type === 'DEL' && Math.abs(c.pos1 - 1 - pos) <= 100);
      expect(hit?.annotation).toMatchObject({ assessed: true });
      expect(hit!.annotation!.cytobands.every((b) => /^20p1[1-2]\.\d+$/.test(b))).toBe(true);
      expect(hit!.annotation!.iscn).toMatch(/^seq\[GRCh37\] del\(20\)\(p1[12]\.\d+p1[12]\.\d+\)/);
    }
    // The six deletions lie between genes (20p12.2 between SNAP25, MKKS, SLX4IP, JAG1 and BTBD3): no gene is
    // claimed for any of them.
    for (const c of body.items) expect(c.annotation!.genes).toEqual([]);
  });
});

describe('ingestion', () => {
  test('a BAI with no BAM yet waits; the BAM then starts one analysis', async () => {
    const sample = `${run}-baifirst`;
    await uploadGenomeFile(path.join(BAD, 'small.bam.bai'), `${sample}.bam.bai`);
    expect(await event(`${sample}.bam.bai`)).toMatchObject({ action: 'waiting-for-bam' });
    await uploadGenomeFile(path.join(BAD, 'small.bam'), `${sample}.bam`);
    const first = await event(`${sample}.bam`);
    expect(first.action).toBe('started');
    expect(await event(`${sample}.bam`)).toMatchObject({ action: 'duplicate' });
    if (first.action === 'started') expect((await stack.runner.waitForCompletion(first.instanceId, 60_000)).runtimeStatus).toBe('Completed');
  });

  test('a changed BAM starts a new analysis with a new id', async () => {
    const sample = `${run}-changed`;
    const a = await analyse(path.join(BAD, 'small.bam'), sample);
    await uploadGenomeFile(path.join(BAD, 'small.bam'), `${sample}.bam`);
    const bam = await findBlob(CONTAINERS.genomes, `${sample}.bam`);
    const b = await event(`${sample}.bam`);
    expect(b.action).toBe('started');
    expect(b.action === 'started' && b.instanceId).toBe(instanceIdFor(bam!));
    expect(b.action === 'started' && b.instanceId).not.toBe(a.doc.runId);
    if (b.action === 'started') await stack.runner.waitForCompletion(b.instanceId, 60_000);
  });

  test('files that are not genomes are ignored with a reason', async () => {
    const outcome = await handleGenomeEvent(blobCreatedEvent(CONTAINERS.genomes, 'notes.txt', '"1"', new Date()), stack.runner, context());
    expect(outcome).toMatchObject({ action: 'ignored', reason: expect.stringMatching(/neither a BAM/) });
    const other = await handleGenomeEvent(blobCreatedEvent('results', 'x.bam', '"1"', new Date()), stack.runner, context());
    expect(other.action).toBe('ignored');
  });
});

describe('bad input fails the sample with a reason a biologist understands', () => {
  test.each([
    ['not-a-bam.bam', 'BAM_NOT_BAM', /is not a BAM file.*upload an aligned, coordinate-sorted BAM/],
    ['empty.bam', 'BAM_EMPTY', /is empty \(0 bytes\)/],
    ['truncated.bam', 'BAM_TRUNCATED', /is truncated.*upload the complete file again/],
    ['unsorted.bam', 'BAM_UNSORTED', /sorted by queryname, not by coordinate.*samtools sort/],
  ])('%s → failed with %s, not retried, nothing published', async (file, code, message) => {
    const sample = `${run}-${file.replace('.bam', '')}`;
    const local = path.join(BAD, file);
    const bai = fs.existsSync(`${local}.bai`) ? `${local}.bai` : path.join(BAD, 'small.bam.bai');
    const { status, doc } = await analyse(local, sample, { bai });
    expect(status.runtimeStatus).toBe('Failed');
    expect(doc.status).toBe('failed');
    expect(doc.error?.code).toBe(code);
    expect(doc.error?.message).toMatch(message);
    expect(doc.results).toBeNull();
    expect((await api(`samples/${sample}/svs`)).status).toBe(409);
    expect((await api(`samples/${sample}/vcf`)).status).toBe(409);
  });

  test('a BAM without index fails after the wait, and starts when the index arrives', async () => {
    const sample = `${run}-noindex`;
    const { status, doc } = await analyse(path.join(BAD, 'noindex.bam'), sample, { bai: null });
    expect(status.runtimeStatus).toBe('Failed');
    expect(doc.error?.code).toBe('BAM_NO_INDEX');
    expect(doc.error?.message).toMatch(/has no index.*samtools index/);
    // Make the index here (the fixture ships without one on purpose).
    const bai = path.join(tmp, 'noindex.bam.bai');
    execFileSync('samtools', ['index', '-o', bai, path.join(BAD, 'noindex.bam')]);
    await uploadGenomeFile(bai, `${sample}.bam.bai`);
    const again = await event(`${sample}.bam.bai`);
    expect(again.action).toBe('started');
    if (again.action === 'started') expect((await stack.runner.waitForCompletion(again.instanceId, 60_000)).runtimeStatus).toBe('Completed');
  });

  test('a BAM of another species is analysed on its own contigs, with a warning', async () => {
    const { status, doc } = await analyse(path.join(BAD, 'other-species.bam'), `${run}-ecoli`);
    expect(status.runtimeStatus).toBe('Completed');
    expect(doc.build).toBeNull();
    expect(doc.warnings.join('\n')).toMatch(/build-dependent features \(gene annotation, karyotype\) are unavailable/);
  });

  test.each([
    ['noseq.bam', /carry no sequence \(SEQ '\*'\)/],
    ['norg.bam', /has no read groups/],
    ['unpaired.bam', /only 0% of reads are paired/],
  ])('%s is analysed, with a warning in the sample and the VCF header', async (file, warning) => {
    const sample = `${run}-${file.replace('.bam', '')}`;
    const { status, doc } = await analyse(path.join(BAD, file), sample);
    expect(status.runtimeStatus).toBe('Completed');
    expect(doc.status).toBe('completed');
    expect(doc.warnings.join('\n')).toMatch(warning);
    const vcf = path.join(tmp, `${sample}.vcf.gz`);
    fs.writeFileSync(vcf, Buffer.from((await api<ArrayBuffer>(`samples/${sample}/vcf`)).body));
    expect(execFileSync('bcftools', ['view', '-h', vcf], { encoding: 'utf8' })).toMatch(new RegExp(`##LAG_warning=.*${warning.source}`));
  });

  test('a BAM with very low coverage and a chromosome without reads is analysed, with both warnings in the sample and the VCF header', async () => {
    // small.bam holds 200 kb of reads on its 2 Mb contig `20` (~1.5x over the contig); a header line adds
    // contig `21`, which has no reads at all.
    const sample = `${run}-sparse`;
    const header = execFileSync('samtools', ['view', '-H', path.join(BAD, 'small.bam')], { encoding: 'utf8' });
    const withEmpty = header.replace(/(@SQ\tSN:20\tLN:\d+\n)/, '$1@SQ\tSN:21\tLN:1000000\n');
    expect(withEmpty).toContain('SN:21');
    fs.writeFileSync(path.join(tmp, 'sparse.sam.header'), withEmpty);
    const bam = path.join(tmp, 'sparse.bam');
    execFileSync('sh', ['-c', `samtools reheader ${path.join(tmp, 'sparse.sam.header')} ${path.join(BAD, 'small.bam')} > ${bam} && samtools index ${bam}`]);
    const { status, doc } = await analyse(bam, sample);
    expect(status.runtimeStatus).toBe('Completed');
    const warnings = doc.warnings.join('\n');
    expect(warnings).toMatch(/mean depth [0-9.]+x is below 10x/);
    expect(warnings).toMatch(/no reads on 21; nothing can be called there/);
    const vcf = path.join(tmp, `${sample}.vcf.gz`);
    fs.writeFileSync(vcf, Buffer.from((await api<ArrayBuffer>(`samples/${sample}/vcf`)).body));
    const vcfHeader = execFileSync('bcftools', ['view', '-h', vcf], { encoding: 'utf8' });
    expect(vcfHeader).toMatch(/##LAG_warning=.*is below 10x/);
    expect(vcfHeader).toMatch(/##LAG_warning=.*no reads on 21/);
    // What can still be called is called: the slice's 500 bp homozygous deletion.
    const svs = await api<{ items: { type: string; pos1: number }[] }>(`samples/${sample}/svs?type=DEL&pass=true`);
    expect(svs.body.items.some((c) => c.type === 'DEL' && Math.abs(c.pos1 - 1309492) < 400)).toBe(true);
  });

  test('a BAM overwritten during its analysis fails that run as GENOME_CHANGED; the new upload runs on its own', async () => {
    const sample = `${run}-overwritten`;
    await uploadGenomeFile(`${EXAMPLE}.bai`, `${sample}.bam.bai`);
    await uploadGenomeFile(EXAMPLE, `${sample}.bam`);
    const first = await event(`${sample}.bam`);
    await uploadGenomeFile(EXAMPLE, `${sample}.bam`);
    const second = await event(`${sample}.bam`);
    expect(first.action).toBe('started');
    expect(second.action).toBe('started');
    if (first.action !== 'started' || second.action !== 'started') return;
    const [s1, s2] = await Promise.all([
      stack.runner.waitForCompletion(first.instanceId, 120_000),
      stack.runner.waitForCompletion(second.instanceId, 120_000),
    ]);
    expect(s1.runtimeStatus).toBe('Failed');
    expect(String(s1.output)).toMatch(/GENOME_CHANGED/);
    expect(s2.runtimeStatus).toBe('Completed');
    expect(await readSample(sample)).toMatchObject({ runId: second.instanceId, status: 'completed' });
  });

  afterAll(async () => {
    await deleteBlob(CONTAINERS.genomes, 'notes.txt');
  });
});
