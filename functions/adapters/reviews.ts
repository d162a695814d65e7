/**
 * Reviews of SVs in Cosmos container `reviews` (partition /sampleId, id = the
 * SV's id), with optimistic concurrency on Cosmos DB's `_etag`: a first
 * review is a create (fails if one exists), a change is a replace that names
 * the ETag it was based on (fails if someone changed it meanwhile).
 */
import type { SvDocument } from '../../shared/contracts';
import { PreconditionFailedError } from '../../shared/errors';
import type { ReviewDocument } from '../../shared/review';
import { getContainers, mapCosmosError, queryAll, statusOf, stripSystem } from './cosmos';
import type { Settings } from './settings';

export interface StoredReview {
  doc: ReviewDocument;
  /** Cosmos DB's `_etag`, as stored. */
  etag: string;
}

function stored(resource: (ReviewDocument & { _etag?: string }) | undefined, what: string): StoredReview {
  if (!resource?._etag) throw mapCosmosError(Object.assign(new Error(`no _etag on ${what}`), { code: 500 }), what);
  return { doc: stripSystem(resource), etag: resource._etag };
}

export async function readReview(sampleId: string, svId: string, settings?: Settings): Promise<StoredReview | undefined> {
  const what = `review of ${sampleId}/${svId}`;
  try {
    const r = await getContainers(settings).reviews.item(svId, sampleId).read<ReviewDocument & { _etag?: string }>();
    return r.resource ? stored(r.resource, what) : undefined;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw mapCosmosError(e, what);
  }
}

/** The first review of an SV; a 412 when one exists already. */
export async function createReview(doc: ReviewDocument, settings?: Settings): Promise<StoredReview> {
  const what = `review of ${doc.sampleId}/${doc.svId}`;
  try {
    const r = await getContainers(settings).reviews.items.create<ReviewDocument>(doc);
    return stored(r.resource as (ReviewDocument & { _etag?: string }) | undefined, what);
  } catch (e) {
    if (statusOf(e) === 409) {
      throw new PreconditionFailedError(
        'REVIEW_EXISTS',
        `SV ${doc.svId} of ${doc.sampleId} has been reviewed already: GET its review and send its ETag in If-Match to change it`,
      );
    }
    throw mapCosmosError(e, what);
  }
}

/** Replaces the review if it still has `etag`; a 412 otherwise. */
export async function replaceReview(doc: ReviewDocument, etag: string, settings?: Settings): Promise<StoredReview> {
  const what = `review of ${doc.sampleId}/${doc.svId}`;
  try {
    const r = await getContainers(settings)
      .reviews.item(doc.id, doc.sampleId)
      .replace<ReviewDocument>(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
    return stored(r.resource as (ReviewDocument & { _etag?: string }) | undefined, what);
  } catch (e) {
    if (statusOf(e) === 412 || statusOf(e) === 404) {
      throw new PreconditionFailedError(
        'REVIEW_CHANGED',
        `the review of SV ${doc.svId} was changed by someone else meanwhile: GET it again, then send the new ETag in If-Match`,
      );
    }
    throw mapCosmosError(e, what);
  }
}

/** Every review of a sample (a few hundred at most). */
export async function listReviews(sampleId: string, settings?: Settings): Promise<ReviewDocument[]> {
  return queryAll<ReviewDocument>(
    getContainers(settings).reviews,
    { query: 'SELECT * FROM c WHERE c.sampleId = @sampleId', parameters: [{ name: '@sampleId', value: sampleId }] },
    { partitionKey: sampleId },
  );
}

/** One SV of a run, or undefined. */
export async function readSvCall(sampleId: string, runId: string, svId: string, settings?: Settings): Promise<SvDocument | undefined> {
  try {
    const r = await getContainers(settings).svCalls.item(`${runId}:${svId}`, sampleId).read<SvDocument>();
    return r.resource ? stripSystem(r.resource) : undefined;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw mapCosmosError(e, `SV ${svId} of ${sampleId}`);
  }
}

/** SVs of a run by id (for the report), in any order; missing ones are left out. */
export async function readSvCalls(sampleId: string, runId: string, svIds: string[], settings?: Settings): Promise<SvDocument[]> {
  if (svIds.length === 0) return [];
  return queryAll<SvDocument>(
    getContainers(settings).svCalls,
    {
      query: 'SELECT * FROM c WHERE c.sampleId = @sampleId AND c.runId = @runId AND ARRAY_CONTAINS(@ids, c.callId)',
      parameters: [
        { name: '@sampleId', value: sampleId },
        { name: '@runId', value: runId },
        { name: '@ids', value: svIds },
      ],
    },
    { partitionKey: sampleId },
  );
}
