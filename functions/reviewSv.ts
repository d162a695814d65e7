/**
 * GET /api/samples/{sampleId}/svs/{svId}/review — an SV's review with its
 * history, and its ETag.
 * PUT — review it: `{state, acmgClass?, comment?}` with `If-None-Match: *`
 * for the first review, `If-Match: <ETag>` for a change (412 when the review
 * changed meanwhile, 428 without either header). The previous version goes
 * to the history.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { ConflictError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, RequestError } from '../shared/errors';
import type { Principal } from '../shared/identity';
import { etagMatches, httpEtag, nextReview, parseReviewBody, SV_ID_PATTERN } from '../shared/review';
import type { OrchestrationClient } from './adapters/durableClient';
import { answer, json } from './adapters/http';
import { createReview, readReview, readSvCall, replaceReview, type StoredReview } from './adapters/reviews';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

function svIdOf(request: HttpRequest): string {
  const svId = request.params.svId ?? '';
  if (!SV_ID_PATTERN.test(svId)) throw new NotFoundError(`no SV '${svId.slice(0, 80)}': use the id of an SV from /svs`);
  return svId;
}

function reviewResponse(status: number, r: StoredReview) {
  const etag = httpEtag(r.etag);
  return json(status, { ...r.doc, etag }, { ETag: etag });
}

async function readBody(request: HttpRequest): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError('body', 'is not JSON; send {"state": "confirmed", "acmgClass": "pathogenic", "comment": "…"}');
  }
}

export async function reviewSvHandler(request: HttpRequest, context: InvocationContext, _client: OrchestrationClient, caller: Principal) {
  return answer(context, async () => {
    const doc = await requireSample(request.params.sampleId);
    const svId = svIdOf(request);
    if (request.method.toUpperCase() === 'GET') {
      const current = await readReview(doc.sampleId, svId);
      if (!current) {
        throw new NotFoundError(`SV ${svId} of ${doc.sampleId} has no review yet: create it with PUT and the header If-None-Match: *`);
      }
      return reviewResponse(200, current);
    }

    // PUT
    const ifMatch = request.headers.get('if-match');
    const ifNoneMatch = request.headers.get('if-none-match');
    if (ifNoneMatch !== null && ifNoneMatch.trim() !== '*') {
      throw new RequestError('If-None-Match', `only '*' (create the first review) is accepted, not '${ifNoneMatch.slice(0, 80)}'`);
    }
    if (ifMatch === null && ifNoneMatch === null) {
      throw new PreconditionRequiredError(
        'PRECONDITION_REQUIRED',
        'changing a review needs the header If-Match: <the ETag of the review you read> (or If-None-Match: * for the first review), so that no one overwrites a change they have not seen',
      );
    }
    if (ifMatch !== null && ifMatch.trim() === '*') {
      throw new RequestError('If-Match', "'*' is not accepted: send the ETag of the review you read (GET …/review)");
    }
    const content = parseReviewBody(await readBody(request));
    if (doc.status !== 'completed') {
      throw new ConflictError('ANALYSIS_NOT_COMPLETE', `sample ${doc.sampleId} has no results to review: its analysis is ${doc.status} (${doc.stage})`);
    }
    const sv = await readSvCall(doc.sampleId, doc.runId, svId);
    if (!sv) throw new NotFoundError(`no SV '${svId}' in the current analysis of ${doc.sampleId} (run ${doc.runId})`);
    const ctx = { sampleId: doc.sampleId, svId, runId: doc.runId, by: { id: caller.id, name: caller.name }, now: new Date() };

    if (ifNoneMatch !== null) {
      const created = await createReview(nextReview(undefined, content, ctx));
      context.log(`${doc.sampleId}/${svId}: reviewed (${content.state}) by ${caller.name}`);
      return reviewResponse(201, created);
    }
    const current = await readReview(doc.sampleId, svId);
    if (!current) {
      throw new PreconditionFailedError('REVIEW_NOT_FOUND', `SV ${svId} of ${doc.sampleId} has no review to match If-Match: create it with If-None-Match: *`);
    }
    if (!etagMatches(ifMatch!, current.etag)) {
      throw new PreconditionFailedError(
        'REVIEW_CHANGED',
        `the review of SV ${svId} is now version ${current.doc.version} (ETag ${httpEtag(current.etag)}, by ${current.doc.by.name} at ${current.doc.at}), ` +
          'not the one your If-Match names: GET it again and re-apply your change',
      );
    }
    const replaced = await replaceReview(nextReview(current.doc, content, ctx), current.etag);
    context.log(`${doc.sampleId}/${svId}: review version ${replaced.doc.version} (${content.state}) by ${caller.name}`);
    return reviewResponse(200, replaced);
  });
}

registerHttp({
  name: 'getSvReview',
  route: 'samples/{sampleId}/svs/{svId}/review',
  methods: ['GET'],
  access: 'read',
  audit: 'read-review',
  handler: reviewSvHandler,
});

registerHttp({
  name: 'putSvReview',
  route: 'samples/{sampleId}/svs/{svId}/review',
  methods: ['PUT'],
  access: 'review',
  audit: 'review-change',
  handler: reviewSvHandler,
});
