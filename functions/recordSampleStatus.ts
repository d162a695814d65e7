/**
 * Activity `recordSampleStatus`: a status change of one run, written to the
 * sample record in the results container (system of record), then to Cosmos.
 * A run that is no longer the sample's current run changes nothing.
 */
import type { InvocationContext } from '@azure/functions';
import { ACTIVITIES, type RecordSampleStatusInput } from '../shared/contracts';
import { applyStatus } from '../shared/sampleRecord';
import { updateSampleRecord } from './adapters/sampleRecords';
import { registerActivity } from './common/registry';

export async function recordSampleStatus(input: RecordSampleStatusInput, context: InvocationContext): Promise<void> {
  let skipped = '';
  await updateSampleRecord(input.sampleId, (current) => {
    if (!current) skipped = 'there is no sample record';
    else if (current.runId !== input.runId) skipped = `the sample's current run is ${current.runId}`;
    return current ? applyStatus(current, input, new Date()) : null;
  });
  if (skipped) context.warn(`${input.sampleId}: status '${input.status}' of run ${input.runId} not recorded: ${skipped}`);
}

registerActivity(ACTIVITIES.recordSampleStatus, recordSampleStatus);
