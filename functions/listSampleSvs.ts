/**
 * GET /api/samples/{sampleId}/svs — the sample's SVs, filtered by chromosome,
 * region, type, minimum size, minimum score, PASS only, review state; paged
 * by continuation token. Parameterised queries only. Each SV carries its
 * review (state, ACMG class, version) or null.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { ConflictError } from '../shared/errors';
import type { ReviewDocument } from '../shared/review';
import { reviewSummary } from '../shared/review';
import { toSvView } from '../shared/sampleRecord';
import { parseSvFilters, type SvFilters } from '../shared/svQuery';
import { querySvCalls } from './adapters/cosmos';
import { answer, json } from './adapters/http';
import { listReviews } from './adapters/reviews';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

/** The call-id condition that keeps the SVs whose review state is one of `states`. */
export function reviewCondition(states: NonNullable<SvFilters['reviewStates']>, reviews: ReviewDocument[]): NonNullable<SvFilters['callIds']> {
  const wanted = new Set<string>(states);
  if (wanted.has('unreviewed')) {
    // Everything but the reviewed SVs in states not asked for.
    return { include: false, ids: reviews.filter((r) => !wanted.has(r.state)).map((r) => r.svId).sort() };
  }
  return { include: true, ids: reviews.filter((r) => wanted.has(r.state)).map((r) => r.svId).sort() };
}

export async function listSampleSvsHandler(request: HttpRequest, context: InvocationContext) {
  return answer(context, async () => {
    const filters = parseSvFilters(request.query);
    const doc = await requireSample(request.params.sampleId);
    if (doc.status !== 'completed') {
      throw new ConflictError(
        'ANALYSIS_NOT_COMPLETE',
        `sample ${doc.sampleId} has no results yet: its analysis is ${doc.status} (${doc.stage})${doc.error ? `: ${doc.error.message}` : ''}`,
      );
    }
    const reviews = await listReviews(doc.sampleId);
    if (filters.reviewStates) filters.callIds = reviewCondition(filters.reviewStates, reviews);
    const byId = new Map(reviews.map((r) => [r.svId, r]));
    const page = await querySvCalls(doc.sampleId, doc.runId, filters);
    return json(200, {
      sampleId: doc.sampleId,
      runId: doc.runId,
      count: page.items.length,
      items: page.items.map((sv) => {
        const review = byId.get(sv.callId);
        return { ...toSvView(sv), review: review ? reviewSummary(review) : null };
      }),
      continuationToken: page.continuationToken ?? null,
    });
  });
}

registerHttp({
  name: 'listSampleSvs',
  route: 'samples/{sampleId}/svs',
  methods: ['GET'],
  access: 'read',
  audit: 'list-svs',
  handler: listSampleSvsHandler,
});
