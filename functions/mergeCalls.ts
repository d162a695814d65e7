/** Activity `mergeCalls`: one call set from all work units, duplicates removed, breakends paired. */
import type { InvocationContext } from '@azure/functions';
import { ACTIVITIES, type MergeCallsInput, type MergeCallsOutput, type SvCall } from '../shared/contracts';
import { layout } from '../shared/layout';
import { joinBreakendScores, loadScorer } from '../shared/scoring/model';
import { countByType, mergeUnitCalls } from '../shared/merge';
import { readResultJson, writeResultJson } from './adapters/results';
import { registerActivity } from './common/registry';

export async function mergeCalls(input: MergeCallsInput, context: InvocationContext): Promise<MergeCallsOutput> {
  const all: SvCall[] = [];
  for (const blob of input.callsBlobs) all.push(...(await readResultJson<SvCall[]>(blob)));
  const merged = mergeUnitCalls(all);
  // Joined breakend pairs share one score (the model scored each side in its own unit).
  const calls = joinBreakendScores(merged.calls, (await loadScorer()).info);
  const { unpaired } = merged;
  if (unpaired.length > 0) context.warn(`${input.sampleId}: ${unpaired.length} breakends without a mate`);
  const mergedBlob = layout.merged(input.sampleId, input.runId);
  await writeResultJson(mergedBlob, calls);
  context.log(`${input.sampleId}: ${all.length} calls from ${input.callsBlobs.length} units → ${calls.length} after merging`);
  return { mergedBlob, total: calls.length, countsByType: countByType(calls) };
}

registerActivity(ACTIVITIES.mergeCalls, mergeCalls);
