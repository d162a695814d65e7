/**
 * Changes to a sample record, safe against concurrent writers (a status
 * update of one run racing the start of a newer run): the record in the
 * results container is updated with optimistic concurrency (ETag), then
 * projected to Cosmos DB, where a lower revision never replaces a higher one.
 */
import type { SampleDocument } from '../../shared/contracts';
import { DependencyError, isLagError } from '../../shared/errors';
import { layout } from '../../shared/layout';
import { getContainers, mapCosmosError } from './cosmos';
import { readResultJsonVersioned, writeResultJsonIf } from './results';

/** Attempts before giving up on a record many writers fight over (a transient condition). */
const MAX_ATTEMPTS = 8;

function isConflict(e: unknown): boolean {
  return isLagError(e) && e.fault === 'conflict';
}

/**
 * Applies `mutate` to the current record (undefined when there is none) and
 * stores the result; `null` from `mutate` leaves the record as it is.
 * Returns what was stored, or null.
 */
export async function updateSampleRecord(
  sampleId: string,
  mutate: (current: SampleDocument | undefined) => SampleDocument | null,
): Promise<SampleDocument | null> {
  const name = layout.sampleRecord(sampleId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await readResultJsonVersioned<SampleDocument>(name);
    const next = mutate(current?.value);
    if (next === null) return null;
    const stored: SampleDocument = { ...next, revision: (current?.value.revision ?? 0) + 1 };
    try {
      await writeResultJsonIf(name, stored, current?.etag);
    } catch (e) {
      if (isConflict(e)) continue;
      throw e;
    }
    await projectSample(stored);
    return stored;
  }
  throw new DependencyError('SAMPLE_RECORD_CONTENDED', `the record of sample ${sampleId} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
}

/** Writes the record to Cosmos unless Cosmos already holds a newer revision. */
export async function projectSample(doc: SampleDocument): Promise<void> {
  const container = getContainers().samples;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      let existing: (SampleDocument & { _etag?: string }) | undefined;
      try {
        existing = (await container.item(doc.sampleId, doc.sampleId).read<SampleDocument & { _etag?: string }>()).resource;
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
      if (existing && (existing.revision ?? 0) >= doc.revision) return;
      if (existing?._etag) {
        await container.item(doc.sampleId, doc.sampleId).replace(doc, { accessCondition: { type: 'IfMatch', condition: existing._etag } });
      } else {
        await container.items.create(doc);
      }
      return;
    } catch (e) {
      const err = mapCosmosError(e, `sample ${doc.sampleId}`);
      if (isConflict(err)) continue;
      throw err;
    }
  }
  throw new DependencyError('SAMPLE_RECORD_CONTENDED', `the Cosmos document of sample ${doc.sampleId} kept changing`);
}
