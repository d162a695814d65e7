/**
 * Local stand-in for Event Grid: polls the `genomes` container and hands a
 * BlobCreated event for every new or changed blob to the same queue handler
 * Azure runs (functions/genomeEvents.ts).
 */
import { InvocationContext } from '@azure/functions';
import { type BlobRef, CONTAINERS, type SampleDocument } from '../../shared/contracts';
import { blobCreatedEvent } from '../../shared/events';
import { bamNameForIndex, sampleIdFromBlobName } from '../../shared/layout';
import type { OrchestrationClient } from '../adapters/durableClient';
import { listBlobs } from '../adapters/genomes';
import { handleGenomeEvent, type IngestOutcome, instanceIdFor } from '../genomeEvents';

/** Attempts at handing over one blob version before the watcher gives up on it (like a queue's maxDequeueCount). */
const MAX_ATTEMPTS = 5;

export class GenomeWatcher {
  private readonly seen = new Map<string, string>();
  private readonly failures = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly client: OrchestrationClient,
    private readonly log: (line: string) => void,
    private readonly intervalMs = 1_000,
  ) {}

  /**
   * Marks as handled the blobs whose analysis the results container already
   * records as finished, so a restart does not analyse them again; anything
   * else (new, changed, interrupted) is handed over at the first poll.
   */
  async prime(records: SampleDocument[]): Promise<void> {
    const bySample = new Map(records.map((r) => [r.sampleId, r]));
    for (const blob of await listBlobs(CONTAINERS.genomes)) {
      const bamName = /\.bam$/i.test(blob.name) ? blob.name : bamNameForIndex(blob.name);
      if (bamName === null) continue;
      let record: SampleDocument | undefined;
      try {
        record = bySample.get(sampleIdFromBlobName(bamName));
      } catch {
        continue; // a name no sample can have: the first poll reports it
      }
      if (!record || (record.status !== 'completed' && record.status !== 'failed')) continue;
      const bamRef: BlobRef = { ...record.genome.bam };
      const isBam = blob.name === bamName;
      const current = isBam ? blob.etag === bamRef.etag : record.status === 'completed';
      if (current && record.runId.startsWith(instanceIdFor(bamRef))) this.seen.set(blob.name, blob.etag);
    }
  }

  start(): void {
    const tick = (): void => {
      this.polling = this.pollOnce()
        .then(() => undefined)
        .catch((e: unknown) => this.log(`genome watcher: polling failed, will retry: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    clearTimeout(t);
    await this.polling;
  }

  /** One pass over the container; returns what each new blob led to. */
  async pollOnce(): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = [];
    for (const blob of await listBlobs(CONTAINERS.genomes)) {
      if (this.seen.get(blob.name) === blob.etag) continue;
      const context = new InvocationContext({
        functionName: 'genomeEvents',
        invocationId: `watch-${blob.name}@${blob.etag}`,
        logHandler: (level, ...args) => this.log(`[genomeEvents] ${level}: ${args.map(String).join(' ')}`),
      });
      const key = `${blob.name}@${blob.etag}`;
      try {
        outcomes.push(await handleGenomeEvent(blobCreatedEvent(CONTAINERS.genomes, blob.name, blob.etag, new Date()), this.client, context));
        this.failures.delete(key);
      } catch (e) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        const reason = e instanceof Error ? e.message : String(e);
        if (n < MAX_ATTEMPTS) {
          this.log(`genome watcher: ${blob.name} could not be handed over (attempt ${n} of ${MAX_ATTEMPTS}), will retry: ${reason}`);
          continue;
        }
        this.log(`genome watcher: giving up on ${blob.name} after ${n} attempts: ${reason}; upload it again to retry`);
        this.failures.delete(key);
      }
      this.seen.set(blob.name, blob.etag);
    }
    return outcomes;
  }
}
