/**
 * Activity `recordSampleStatus`: a status change of one run, written to the
 * sample record in the results container (system of record), then to Cosmos.
 */
import type { InvocationContext } from '@azure/functions';
import { ACTIVITIES, type RecordSampleStatusInput, type SampleDocument } from '../shared/contracts';
import { layout } from '../shared/layout';
import { applyStatus } from '../shared/sampleRecord';
import { upsertSample } from './adapters/cosmos';
import { tryReadResultJson, writeResultJson } from './adapters/results';
import { registerActivity } from './common/registry';

export async function recordSampleStatus(input: RecordSampleStatusInput, context: InvocationContext): Promise<void> {
  const current = await tryReadResultJson<SampleDocument>(layout.sampleRecord(input.sampleId));
  if (!current) {
    context.warn(`${input.sampleId}: no sample record for run ${input.runId}; status '${input.status}' not recorded`);
    return;
  }
  const next = applyStatus(current, input, new Date());
  if (!next) {
    context.warn(`${input.sampleId}: run ${input.runId} is not the sample's current run (${current.runId}); status ignored`);
    return;
  }
  await writeResultJson(layout.sampleRecord(input.sampleId), next);
  await upsertSample(next);
}

registerActivity(ACTIVITIES.recordSampleStatus, recordSampleStatus);
