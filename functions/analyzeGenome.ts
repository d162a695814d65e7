/**
 * Orchestrator `analyzeGenome`: profile → one activity per chromosome window
 * (fan out) → merge → publish. Deterministic and free of I/O: every effect is
 * an activity; time comes from the replay context.
 *
 * Retries follow the fault policy of shared/errors.ts: a failed activity is
 * retried with exponential backoff only when its error is retryable (a flaky
 * dependency, a bug); a user's bad file fails the sample at once. The
 * built-in RetryOptions cannot tell the two apart, so the policy drives
 * durable timers itself.
 */
import * as df from 'durable-functions';
import {
  ACTIVITIES,
  type AnalyzeGenomeInput,
  type BlobRef,
  type CallChromosomeInput,
  type CallChromosomeOutput,
  type GenomeRef,
  type MergeCallsOutput,
  ORCHESTRATOR,
  type ProfileGenomeOutput,
  type PublishResultsOutput,
  type RecordSampleStatusInput,
} from '../shared/contracts';
import { asLagError, InputError, toWireMessage } from '../shared/errors';
import { collapseUnitWarnings } from '../shared/warnings';
import { registerOrchestrator } from './common/registry';

/** The orchestration's custom status: the stage, and what the calling stage has to do. */
export interface AnalysisProgress {
  stage: 'waiting-for-index' | 'profiling' | 'calling' | 'merging' | 'publishing' | 'completed' | 'failed';
  unitsTotal: number;
  /** Work units per chromosome; done units are counted from their result blobs. */
  unitsPerChromosome: Record<string, number>;
  /** Retries of the sequential steps (the fan-out's retries are the host's). */
  retries: number;
  error?: { code: string; message: string };
}

export interface AnalysisSummary {
  sampleId: string;
  runId: string;
  calls: number;
  countsByType: Record<string, number>;
  vcfBlob: string;
}

type Retry = AnalyzeGenomeInput['settings']['retry'];

function retryDelayMs(retry: Retry, attempt: number): number {
  return Math.min(retry.firstIntervalMs * Math.pow(retry.backoffCoefficient, attempt - 1), retry.maxIntervalMs);
}

/** Calls one activity, retrying retryable failures as the policy says. */
function* callWithPolicy<T>(
  context: df.OrchestrationContext,
  retry: Retry,
  name: string,
  input: unknown,
  onRetry: () => void,
): Generator<df.Task, T, unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (yield context.df.callActivity(name, input)) as T;
    } catch (e) {
      const err = asLagError(e);
      if (!err.retryable || attempt >= retry.maxAttempts) throw e;
      onRetry();
      const fireAt = new Date(context.df.currentUtcDateTime.getTime() + retryDelayMs(retry, attempt));
      yield context.df.createTimer(fireAt);
    }
  }
}

export function* analyzeGenome(context: df.OrchestrationContext): Generator<df.Task, AnalysisSummary, unknown> {
  const input = context.df.getInput() as AnalyzeGenomeInput;
  const { sampleId, runId, settings } = input;
  const retry = settings.retry;
  const progress: AnalysisProgress = { stage: 'profiling', unitsTotal: 0, unitsPerChromosome: {}, retries: 0 };
  const publishProgress = (): void => context.df.setCustomStatus({ ...progress });
  const countRetry = (): void => {
    progress.retries++;
    publishProgress();
  };
  const recordStatus = (status: Omit<RecordSampleStatusInput, 'sampleId' | 'runId'>) =>
    callWithPolicy<void>(context, retry, ACTIVITIES.recordSampleStatus, { sampleId, runId, ...status }, countRetry);

  try {
    let bai = input.genome.bai;
    if (bai === null) {
      progress.stage = 'waiting-for-index';
      publishProgress();
      yield* recordStatus({ status: 'queued', stage: 'waiting-for-index' });
      bai = yield* waitForIndex(context, input, countRetry);
      progress.stage = 'profiling';
    }
    const genome: GenomeRef = { bam: input.genome.bam, bai };
    publishProgress();
    yield* recordStatus({ status: 'running', stage: 'profiling' });
    const profile = yield* callWithPolicy<ProfileGenomeOutput>(
      context,
      retry,
      ACTIVITIES.profileGenome,
      { sampleId, runId, genome, settings },
      countRetry,
    );

    progress.stage = 'calling';
    progress.unitsTotal = profile.units.length;
    for (const u of profile.units) progress.unitsPerChromosome[u.chromosome] = (progress.unitsPerChromosome[u.chromosome] ?? 0) + 1;
    publishProgress();
    yield* recordStatus({
      status: 'running',
      stage: 'calling',
      library: profile.library,
      build: profile.build,
      warnings: profile.warnings,
      unitsTotal: profile.units.length,
      prescreen: profile.prescreen,
    });

    const outputs = yield* fanOut(context, { ...input, genome }, profile);

    progress.stage = 'merging';
    publishProgress();
    const merged = yield* callWithPolicy<MergeCallsOutput>(
      context,
      retry,
      ACTIVITIES.mergeCalls,
      { sampleId, runId, callsBlobs: outputs.map((o) => o.callsBlob) },
      countRetry,
    );

    progress.stage = 'publishing';
    publishProgress();
    const warnings = collapseUnitWarnings([...profile.warnings, ...outputs.flatMap((o) => o.warnings)]);
    // publishResults writes the sample as completed, last, once everything it names exists.
    const published = yield* callWithPolicy<PublishResultsOutput>(
      context,
      retry,
      ACTIVITIES.publishResults,
      {
        sampleId,
        runId,
        genome,
        profileBlob: profile.profileBlob,
        mergedBlob: merged.mergedBlob,
        startedAt: input.requestedAt,
        warnings,
      },
      countRetry,
    );

    progress.stage = 'completed';
    publishProgress();
    return { sampleId, runId, calls: published.calls, countsByType: merged.countsByType, vcfBlob: published.vcfBlob };
  } catch (e) {
    const err = asLagError(e);
    progress.stage = 'failed';
    progress.error = { code: err.code, message: err.message };
    publishProgress();
    if (!context.df.isReplaying) context.error(`analysis ${runId} of ${sampleId} failed: ${toWireMessage(err)}`);
    yield* recordStatus({ status: 'failed', stage: 'failed', error: { code: err.code, message: err.message } });
    throw new Error(toWireMessage(err));
  }
}

/** Polls for `<sample>.bam.bai` with durable timers until it appears or the wait runs out. */
function* waitForIndex(
  context: df.OrchestrationContext,
  input: AnalyzeGenomeInput,
  onRetry: () => void,
): Generator<df.Task, BlobRef, unknown> {
  const { bam } = input.genome;
  const deadline = context.df.currentUtcDateTime.getTime() + input.settings.indexWaitMs;
  for (;;) {
    const found = (yield* callWithPolicy<BlobRef | null>(context, input.settings.retry, ACTIVITIES.locateIndex, { bam }, onRetry)) ?? null;
    if (found !== null) return found;
    const now = context.df.currentUtcDateTime.getTime();
    if (now >= deadline) {
      const minutes = Math.round(input.settings.indexWaitMs / 60_000);
      throw new InputError(
        'BAM_NO_INDEX',
        `${bam.name} has no index: ${bam.name}.bai did not arrive within ${minutes} min of the BAM; create it (samtools index ${bam.name}) and upload ${bam.name}.bai — the analysis starts as soon as it arrives`,
      );
    }
    yield context.df.createTimer(new Date(Math.min(deadline, now + input.settings.indexPollMs)));
  }
}

/**
 * One callChromosome per work unit, all at once, each with the host's retry
 * options, then one fan-in. (Re-yielding a fresh Task.any over tasks already
 * scheduled makes the Durable host schedule them again — durable-js issue
 * #574 — so progress is not counted here: each unit's result blob is its
 * progress mark, counted by the sample API.) A unit that fails for a user's
 * reason fails at once on its retries without rescanning (callChromosome).
 */
function* fanOut(
  context: df.OrchestrationContext,
  input: AnalyzeGenomeInput & { genome: GenomeRef },
  profile: ProfileGenomeOutput,
): Generator<df.Task, CallChromosomeOutput[], unknown> {
  const { retry } = input.settings;
  const options = new df.RetryOptions(retry.firstIntervalMs, retry.maxAttempts);
  options.backoffCoefficient = retry.backoffCoefficient;
  options.maxRetryIntervalInMilliseconds = retry.maxIntervalMs;
  const tasks = profile.units.map((unit) => {
    const activityInput: CallChromosomeInput = {
      sampleId: input.sampleId,
      runId: input.runId,
      genome: input.genome,
      unit,
      profileBlob: profile.profileBlob,
    };
    return context.df.callActivityWithRetry(ACTIVITIES.callChromosome, options, activityInput);
  });
  return (yield context.df.Task.all(tasks)) as CallChromosomeOutput[];
}

registerOrchestrator(ORCHESTRATOR, analyzeGenome);
