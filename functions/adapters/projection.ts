/**
 * Rebuilds the Cosmos DB projection from the results container, the system
 * of record: every sample record, and the calls of every completed run.
 * Local mode runs it at start-up (its Cosmos server keeps data in memory);
 * in Azure it repairs a lost or damaged database.
 */
import type { SampleDocument, SvCall } from '../../shared/contracts';
import { toSvDocument } from '../../shared/sampleRecord';
import { upsertSample, upsertSvCalls } from './cosmos';
import { listSampleRecordNames, readResultJson } from './results';

export interface RebuildSummary {
  samples: number;
  calls: number;
  records: SampleDocument[];
}

export async function rebuildProjection(log: (line: string) => void = () => undefined): Promise<RebuildSummary> {
  const summary: RebuildSummary = { samples: 0, calls: 0, records: [] };
  for (const name of await listSampleRecordNames()) {
    const record = await readResultJson<SampleDocument>(name);
    if (record.status === 'completed' && record.results) {
      const calls = await readResultJson<SvCall[]>(record.results.calls);
      summary.calls += await upsertSvCalls(calls.map((c) => toSvDocument(record.sampleId, record.runId, c)));
    }
    await upsertSample(record);
    summary.samples++;
    summary.records.push(record);
  }
  log(`rebuilt the query index from the results container: ${summary.samples} samples, ${summary.calls} SV calls`);
  return summary;
}
