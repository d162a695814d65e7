/** Activity `mergeCalls`: one call set from all work units, duplicates removed, breakends paired. */
import type { InvocationContext } from '@azure/functions';
import { ACTIVITIES, type MergeCallsInput, type MergeCallsOutput, type SvCall } from '../shared/contracts';
import { layout } from '../shared/layout';
import { joinBreakendScores, loadScorer } from '../shared/scoring/model';
import { classifyTranslocations, countByType, pairBreakends, removeDuplicates } from '../shared/merge';
import { readResultJson, writeResultJson } from './adapters/results';
import { registerActivity } from './common/registry';

/**
 * Each side of a translocation is placed from its own reads, the mate side
 * from the mates' starts: the two estimates can differ by a fragment length
 * plus spread, so mates are paired within 1 kb.
 */
const BREAKEND_MATE_TOLERANCE = 1_000;

export async function mergeCalls(input: MergeCallsInput, context: InvocationContext): Promise<MergeCallsOutput> {
  const all: SvCall[] = [];
  for (const blob of input.callsBlobs) all.push(...(await readResultJson<SvCall[]>(blob)));
  const unique = removeDuplicates(all);
  const paired = pairBreakends(unique, BREAKEND_MATE_TOLERANCE);
  // Joined breakend pairs share one score (the model scored each side in its own unit).
  const calls = joinBreakendScores(classifyTranslocations(paired.calls), (await loadScorer()).info);
  const { unpaired } = paired;
  if (unpaired.length > 0) context.warn(`${input.sampleId}: ${unpaired.length} breakends without a mate`);
  const mergedBlob = layout.merged(input.sampleId, input.runId);
  await writeResultJson(mergedBlob, calls);
  context.log(`${input.sampleId}: ${all.length} calls from ${input.callsBlobs.length} units → ${calls.length} after merging`);
  return { mergedBlob, total: calls.length, countsByType: countByType(calls) };
}

registerActivity(ACTIVITIES.mergeCalls, mergeCalls);
