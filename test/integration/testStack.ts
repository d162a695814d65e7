/**
 * The local stack as the integration and browser tests use it: on the
 * Azurite and Cosmos servers test/globalSetup.ts started (their settings
 * come in through process.env), in its own data folder, with the blob
 * watcher stopped so that each test hands its genome events over itself.
 */
import { InvocationContext } from '@azure/functions';
import { CONTAINERS } from '../../shared/contracts';
import { blobCreatedEvent } from '../../shared/events';
import { findBlob, uploadGenomeFile } from '../../functions/adapters/genomes';
import { handleGenomeEvent } from '../../functions/genomeEvents';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';

const SERVICE_SETTINGS = ['LAG_LOCAL', 'GENOMES_STORAGE_CONNECTION_STRING', 'COSMOS_ENDPOINT', 'COSMOS_KEY', 'COSMOS_CA_CERT_FILE'];

export async function startTestStack(dataDir: string): Promise<LocalStack> {
  const servicesEnv: Record<string, string> = {};
  for (const k of SERVICE_SETTINGS) if (process.env[k]) servicesEnv[k] = process.env[k]!;
  const stack = await startLocalStack({ dataDir, port: 0, servicesEnv, log: () => undefined, watchIntervalMs: 3_600_000 });
  await stack.watcher.stop();
  return stack;
}

/** The BlobCreated event of `blobName` in `genomes`, handled as the queue trigger does. */
export async function genomeEvent(stack: LocalStack, blobName: string) {
  const blob = await findBlob(CONTAINERS.genomes, blobName);
  const context = new InvocationContext({ functionName: 'genomeEvents', invocationId: 'test', logHandler: () => undefined });
  return handleGenomeEvent(blobCreatedEvent(CONTAINERS.genomes, blobName, blob?.etag ?? '"none"', new Date()), stack.runner, context);
}

/** Uploads a local BAM and its index as `<sample>.bam` and runs its analysis to the end; throws unless it completes. */
export async function analyseToCompletion(stack: LocalStack, localBam: string, sample: string): Promise<void> {
  await uploadGenomeFile(`${localBam}.bai`, `${sample}.bam.bai`);
  await uploadGenomeFile(localBam, `${sample}.bam`);
  const outcome = await genomeEvent(stack, `${sample}.bam`);
  if (outcome.action !== 'started') throw new Error(`the analysis of ${sample} did not start: ${JSON.stringify(outcome)}`);
  const status = await stack.runner.waitForCompletion(outcome.instanceId, 120_000);
  if (status.runtimeStatus !== 'Completed') throw new Error(`the analysis of ${sample} ended ${status.runtimeStatus}: ${JSON.stringify(status.output)}`);
}
