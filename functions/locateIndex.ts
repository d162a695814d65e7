/** Activity `locateIndex`: the BAI of a BAM, pinned to its current version, or null. */
import type { InvocationContext } from '@azure/functions';
import { ACTIVITIES, type BlobRef, type LocateIndexInput } from '../shared/contracts';
import { indexCandidates } from '../shared/layout';
import { findBlob } from './adapters/genomes';
import { registerActivity } from './common/registry';

export async function locateIndex(input: LocateIndexInput, context: InvocationContext): Promise<BlobRef | null> {
  for (const name of indexCandidates(input.bam.name)) {
    const ref = await findBlob(input.bam.container, name);
    if (ref) {
      context.log(`index of ${input.bam.name} found: ${name}`);
      return ref;
    }
  }
  return null;
}

registerActivity(ACTIVITIES.locateIndex, locateIndex);
