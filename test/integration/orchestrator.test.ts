/**
 * analyzeGenome through durable-functions' real replay engine, driven by the
 * local runner, with activities replaced so failures can be injected. The
 * real activities run in test/integration/pipeline.test.ts.
 */
import type { InvocationContext } from '@azure/functions';
import { DummyOrchestrationContext } from 'durable-functions';
import '../../functions/analyzeGenome';
import type { AnalysisProgress, AnalysisSummary } from '../../functions/analyzeGenome';
import { LocalDurableRunner } from '../../functions/local/durableRunner';
import { getOrchestrator, type ActivityFn } from '../../functions/common/registry';
import {
  ACTIVITIES,
  type AnalyzeGenomeInput,
  type CallChromosomeInput,
  DEFAULT_SETTINGS,
  ORCHESTRATOR,
  type ProfileGenomeOutput,
  type RecordSampleStatusInput,
  type WorkUnit,
} from '../../shared/contracts';
import { DependencyError, InputError, fromWireMessage, toWireMessage } from '../../shared/errors';

/* eslint-disable @typescript-eslint/no-require-imports */
const testing = require('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator: (fn: unknown) => (trigger: unknown, context: InvocationContext) => Promise<{ isDone: boolean; output: unknown; actions: { functionName?: string; actionType: number }[][] }>;
  DurableOrchestrationInput: new (instanceId: string, history: unknown[], input: unknown) => unknown;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const units: WorkUnit[] = [
  { id: '1:0-100', contig: '1', chromosome: '1', start: 0, end: 110, coreStart: 0, coreEnd: 100 },
  { id: '1:100-200', contig: '1', chromosome: '1', start: 90, end: 200, coreStart: 100, coreEnd: 200 },
  { id: '2:0-150', contig: '2', chromosome: '2', start: 0, end: 150, coreStart: 0, coreEnd: 150 },
];

function input(runId: string, bai = true): AnalyzeGenomeInput {
  return {
    sampleId: 'S1',
    runId,
    genome: {
      bam: { container: 'genomes', name: 'S1.bam', etag: '"1"' },
      bai: bai ? { container: 'genomes', name: 'S1.bam.bai', etag: '"2"' } : null,
    },
    requestedAt: '2026-01-01T00:00:00Z',
    settings: { ...DEFAULT_SETTINGS, retry: { ...DEFAULT_SETTINGS.retry, firstIntervalMs: 5, maxIntervalMs: 20 }, indexWaitMs: 60, indexPollMs: 10 },
  };
}

interface Fakes {
  activities: Map<string, ActivityFn<unknown, unknown>>;
  statuses: RecordSampleStatusInput[];
  calls: Map<string, number>;
}

/** Activities that succeed, except where `fail(unitId, attempt)` throws. */
function fakes(fail: (unitId: string, attempt: number) => Error | null = () => null): Fakes {
  const statuses: RecordSampleStatusInput[] = [];
  const calls = new Map<string, number>();
  const profile: ProfileGenomeOutput = {
    profileBlob: 'S1/runs/r/profile.json',
    build: 'GRCh37',
    prescreen: { chromosomes: [], aneuploidies: [], sexChromosomes: 'XY', notes: [] },
    library: { readLength: 150, insertSizeMedian: 400, insertSizeSd: 50, pairedFraction: 1, sequenceFraction: 1, readsSampled: 1000 },
    units,
    chromosomes: ['1', '2'],
    warnings: ['a warning'],
  };
  const activities = new Map<string, ActivityFn<unknown, unknown>>([
    [ACTIVITIES.recordSampleStatus, async (i) => void statuses.push(i as RecordSampleStatusInput)],
    [ACTIVITIES.locateIndex, async () => null],
    [ACTIVITIES.profileGenome, async () => profile],
    [
      ACTIVITIES.callChromosome,
      async (i) => {
        const unit = (i as CallChromosomeInput).unit;
        const attempt = (calls.get(unit.id) ?? 0) + 1;
        calls.set(unit.id, attempt);
        const err = fail(unit.id, attempt);
        // Thrown as the registry's wrapper throws it: a wire message with code and fault.
        if (err) throw new Error(toWireMessage(err as DependencyError));
        return { unitId: unit.id, callsBlob: `units/${unit.id}.json`, calls: 2, readsScanned: 10, warnings: [] };
      },
    ],
    [ACTIVITIES.mergeCalls, async () => ({ mergedBlob: 'merged.json', total: 6, countsByType: { DEL: 6 } })],
    [ACTIVITIES.publishResults, async () => ({ vcfBlob: 'S1.vcf.gz', calls: 6 })],
  ]);
  return { activities, statuses, calls };
}

describe('analyzeGenome on the real replay engine', () => {
  test('complete fan-out: every unit called once, merged, published; progress reaches the total', async () => {
    const f = fakes();
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-ok', input: input('run-ok') });
    const done = await runner.waitForCompletion('run-ok', 10_000);
    expect(done.runtimeStatus).toBe('Completed');
    const out = done.output as AnalysisSummary;
    expect(out).toEqual({ sampleId: 'S1', runId: 'run-ok', calls: 6, countsByType: { DEL: 6 }, vcfBlob: 'S1.vcf.gz' });
    expect([...f.calls.entries()].sort()).toEqual(units.map((u) => [u.id, 1]).sort());
    const progress = done.customStatus as AnalysisProgress;
    expect(progress).toEqual({ stage: 'completed', unitsTotal: 3, unitsPerChromosome: { '1': 2, '2': 1 }, retries: 0 });
    expect(f.statuses.map((s) => `${s.status}:${s.stage}`)).toEqual(['running:profiling', 'running:calling']);
    // The index-only screen reaches the sample record as soon as calling starts.
    expect(f.statuses[1]?.prescreen).toMatchObject({ sexChromosomes: 'XY' });
  });

  test('a unit failing with a transient error is retried and the analysis completes', async () => {
    const f = fakes((unit, attempt) => (unit === '1:100-200' && attempt === 1 ? new DependencyError('STORAGE_UNAVAILABLE', 'blob read timed out') : null));
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-retry', input: input('run-retry') });
    const done = await runner.waitForCompletion('run-retry', 10_000);
    expect(done.runtimeStatus).toBe('Completed');
    expect(f.calls.get('1:100-200')).toBe(2);
    expect(f.calls.get('1:0-100')).toBe(1);
    expect(f.calls.get('2:0-150')).toBe(1);
    expect((done.output as AnalysisSummary).calls).toBe(6);
  });

  test('a unit failing for good fails the analysis after maxAttempts, and the sample is recorded failed', async () => {
    const f = fakes((unit) => (unit === '2:0-150' ? new DependencyError('STORAGE_UNAVAILABLE', 'blob read timed out') : null));
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-fail', input: input('run-fail') });
    const done = await runner.waitForCompletion('run-fail', 10_000);
    expect(done.runtimeStatus).toBe('Failed');
    expect(f.calls.get('2:0-150')).toBe(DEFAULT_SETTINGS.retry.maxAttempts);
    const err = fromWireMessage(String(done.output));
    expect(err?.code).toBe('STORAGE_UNAVAILABLE');
    expect(err?.message).toContain('blob read timed out');
    const last = f.statuses.at(-1)!;
    expect(last.status).toBe('failed');
    expect(last.error).toEqual({ code: 'STORAGE_UNAVAILABLE', message: expect.stringContaining('blob read timed out') });
    expect(done.customStatus).toMatchObject({ stage: 'failed', error: { code: 'STORAGE_UNAVAILABLE' } });
  });

  test("a user's bad file found while profiling is not retried", async () => {
    const f = fakes();
    let profiles = 0;
    f.activities.set(ACTIVITIES.profileGenome, async () => {
      profiles++;
      throw new Error(toWireMessage(new InputError('BAM_CORRUPT', 'S1.bam could not be decoded')));
    });
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-input', input: input('run-input') });
    const done = await runner.waitForCompletion('run-input', 10_000);
    expect(done.runtimeStatus).toBe('Failed');
    expect(profiles).toBe(1);
    expect(f.calls.size).toBe(0);
    expect(f.statuses.at(-1)).toMatchObject({ status: 'failed', error: { code: 'BAM_CORRUPT' } });
  });

  test('a transient failure while profiling is retried after a durable timer', async () => {
    const f = fakes();
    const real = f.activities.get(ACTIVITIES.profileGenome)!;
    let profiles = 0;
    f.activities.set(ACTIVITIES.profileGenome, async (i, c) => {
      profiles++;
      if (profiles === 1) throw new Error(toWireMessage(new DependencyError('STORAGE_UNAVAILABLE', 'throttled')));
      return real(i, c);
    });
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-profile-retry', input: input('run-profile-retry') });
    const done = await runner.waitForCompletion('run-profile-retry', 10_000);
    expect(done.runtimeStatus).toBe('Completed');
    expect(profiles).toBe(2);
    expect(done.customStatus).toMatchObject({ retries: 1 });
  });

  test('a BAM whose index never arrives fails with BAM_NO_INDEX after the wait', async () => {
    const f = fakes();
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-noindex', input: input('run-noindex', false) });
    const done = await runner.waitForCompletion('run-noindex', 10_000);
    expect(done.runtimeStatus).toBe('Failed');
    expect(fromWireMessage(String(done.output))?.code).toBe('BAM_NO_INDEX');
    expect(f.statuses[0]).toMatchObject({ status: 'queued', stage: 'waiting-for-index' });
    expect(f.statuses.at(-1)).toMatchObject({ status: 'failed', error: { code: 'BAM_NO_INDEX' } });
  });

  test('replaying the finished history gives the same result without new work (determinism)', async () => {
    const f = fakes((unit, attempt) => (unit === '2:0-150' && attempt === 1 ? new DependencyError('X', 'flaky') : null));
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-replay', input: input('run-replay') });
    const done = await runner.waitForCompletion('run-replay', 10_000);
    const listener = testing.createOrchestrator(getOrchestrator(ORCHESTRATOR)!);
    const state = await listener(
      new testing.DurableOrchestrationInput('run-replay', [...runner.getHistory('run-replay')], input('run-replay')),
      new DummyOrchestrationContext(ORCHESTRATOR, undefined, () => undefined),
    );
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual(done.output);
  });

  test('a partly complete history: after profiling, the next actions are one callChromosome per unit', async () => {
    const f = fakes();
    const runner = new LocalDurableRunner({ activities: f.activities });
    await runner.startNew(ORCHESTRATOR, { instanceId: 'run-part', input: input('run-part') });
    await runner.waitForCompletion('run-part', 10_000);
    const history = runner.getHistory('run-part') as { EventType: number; TaskScheduledId?: number }[];
    // Keep events up to the completion of task 2 (0: status, 1: profile, 2: status 'calling').
    const cut = history.findIndex((e) => e.EventType === 5 && e.TaskScheduledId === 2);
    const listener = testing.createOrchestrator(getOrchestrator(ORCHESTRATOR)!);
    const state = await listener(
      new testing.DurableOrchestrationInput('run-part', history.slice(0, cut + 1), input('run-part')),
      new DummyOrchestrationContext(ORCHESTRATOR, undefined, () => undefined),
    );
    expect(state.isDone).toBe(false);
    const names = state.actions.flat().map((a) => a.functionName);
    expect(names).toEqual([
      ACTIVITIES.recordSampleStatus,
      ACTIVITIES.profileGenome,
      ACTIVITIES.recordSampleStatus,
      ACTIVITIES.callChromosome,
      ACTIVITIES.callChromosome,
      ACTIVITIES.callChromosome,
    ]);
  });
});
