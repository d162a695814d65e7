/**
 * Queue trigger `genomeEvents`: BlobCreated events for the `genomes`
 * container (Event Grid → storage queue `genome-events`) start one analysis
 * per BAM version. The instance id is derived from the BAM's path and ETag:
 * a redelivered or duplicated event, or the BAI arriving after the BAM,
 * starts nothing twice; a changed BAM (new ETag) starts a new analysis.
 */
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { analysisSettingsFromEnv } from '../shared/analysisSettings';
import { type AnalyzeGenomeInput, type BlobRef, CONTAINERS, ORCHESTRATOR, QUEUES, type SampleDocument } from '../shared/contracts';
import { fromWireMessage, isLagError } from '../shared/errors';
import { parseBlobEvent } from '../shared/events';
import { shortHash } from '../shared/ids';
import { bamNameForIndex, layout, sampleIdFromBlobName } from '../shared/layout';
import { newSampleDocument } from '../shared/sampleRecord';
import { fromDurableClient, type OrchestrationClient } from './adapters/durableClient';
import { findBlob } from './adapters/genomes';
import { tryReadResultJson } from './adapters/results';
import { updateSampleRecord } from './adapters/sampleRecords';
import { locateIndex } from './locateIndex';

export type IngestOutcome =
  | { action: 'started'; instanceId: string; sampleId: string }
  | { action: 'duplicate'; instanceId: string; sampleId: string }
  | { action: 'waiting-for-bam'; sampleId: string }
  | { action: 'ignored'; reason: string };

/** `lag-<hash of container/name@etag>`: one instance per BAM version. */
export function instanceIdFor(bam: BlobRef): string {
  return `lag-${shortHash(`${bam.container}/${bam.name}@${bam.etag}${bam.versionId ? `#${bam.versionId}` : ''}`, 32)}`;
}

/** Starts (or re-starts) the analysis of one BAM version, recording it as queued first. */
export async function startAnalysis(
  bam: BlobRef,
  bai: BlobRef | null,
  sampleId: string,
  runId: string,
  client: OrchestrationClient,
): Promise<void> {
  const input: AnalyzeGenomeInput = {
    sampleId,
    runId,
    genome: { bam, bai },
    requestedAt: new Date().toISOString(),
    settings: analysisSettingsFromEnv(process.env),
  };
  // The newest upload (or re-run) always becomes the sample's current run.
  await updateSampleRecord(sampleId, () => newSampleDocument(input, new Date()));
  await client.startNew(ORCHESTRATOR, { instanceId: runId, input });
}

export async function handleGenomeEvent(
  message: unknown,
  client: OrchestrationClient,
  context: InvocationContext,
): Promise<IngestOutcome> {
  const parsed = parseBlobEvent(message);
  if (parsed.kind === 'ignored') {
    context.warn(`genome event ignored: ${parsed.reason}`);
    return { action: 'ignored', reason: parsed.reason };
  }
  const { container, blobName } = parsed.event;
  if (container !== CONTAINERS.genomes) {
    return { action: 'ignored', reason: `blob ${container}/${blobName} is not in the '${CONTAINERS.genomes}' container` };
  }
  const bamName = /\.bam$/i.test(blobName) ? blobName : bamNameForIndex(blobName);
  if (bamName === null) {
    const reason = `${blobName} is neither a BAM (.bam) nor a BAM index (.bam.bai, .bai)`;
    context.warn(`genome event ignored: ${reason}`);
    return { action: 'ignored', reason };
  }
  let sampleId: string;
  try {
    sampleId = sampleIdFromBlobName(bamName);
  } catch (e) {
    // A name no sample record can carry: retrying cannot help, so report and stop.
    const reason = isLagError(e) ? e.message : String(e);
    context.error(`genome event rejected: ${reason}`);
    return { action: 'ignored', reason };
  }
  const bam = await findBlob(container, bamName);
  if (!bam) {
    context.log(`${blobName} arrived before ${bamName}; the analysis starts when the BAM arrives`);
    return { action: 'waiting-for-bam', sampleId };
  }
  const instanceId = instanceIdFor(bam);
  const bai = await locateIndex({ bam }, context);
  // The durable history may be gone (purged, or a local restart): the record says whether this version is done.
  const record = await tryReadResultJson<SampleDocument>(layout.sampleRecord(sampleId));
  if (record?.runId.startsWith(instanceId) && record.status === 'completed') {
    context.log(`${sampleId}: ${bamName} (ETag ${bam.etag}) is already analysed (run ${instanceId}); event ${parsed.event.eventId} starts nothing`);
    return { action: 'duplicate', instanceId, sampleId };
  }
  const existing = await client.getStatus(instanceId);
  if (existing) {
    const failure = existing.runtimeStatus === 'Failed' ? fromWireMessage(String(existing.output ?? '')) : undefined;
    const indexNowThere = failure?.code === 'BAM_NO_INDEX' && bai !== null;
    if (!indexNowThere) {
      context.log(`${sampleId}: analysis ${instanceId} already exists (${existing.runtimeStatus}); event ${parsed.event.eventId} starts nothing`);
      return { action: 'duplicate', instanceId, sampleId };
    }
    context.log(`${sampleId}: the index arrived after analysis ${instanceId} gave up waiting; starting it again`);
  }
  try {
    await startAnalysis(bam, bai, sampleId, instanceId, client);
  } catch (e) {
    if (isLagError(e) && e.fault === 'conflict') return { action: 'duplicate', instanceId, sampleId };
    throw e;
  }
  context.log(`${sampleId}: analysis ${instanceId} started for ${bamName} (ETag ${bam.etag})`);
  return { action: 'started', instanceId, sampleId };
}

app.storageQueue('genomeEvents', {
  queueName: QUEUES.genomeEvents,
  connection: 'GENOMES_STORAGE',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    await handleGenomeEvent(message, fromDurableClient(df.getClient(context)), context);
  },
});
