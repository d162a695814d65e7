/**
 * GET /api/samples/{sampleId}/svs — the sample's SVs, filtered by chromosome,
 * region, type, minimum size, minimum score, PASS only; paged by
 * continuation token. Parameterised queries only.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { ConflictError } from '../shared/errors';
import { toSvView } from '../shared/sampleRecord';
import { parseSvFilters } from '../shared/svQuery';
import { querySvCalls } from './adapters/cosmos';
import { answer, json } from './adapters/http';
import { registerHttp } from './common/registry';
import { requireSample } from './common/sampleView';

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
    const page = await querySvCalls(doc.sampleId, doc.runId, filters);
    return json(200, {
      sampleId: doc.sampleId,
      runId: doc.runId,
      count: page.items.length,
      items: page.items.map(toSvView),
      continuationToken: page.continuationToken ?? null,
    });
  });
}

registerHttp({
  name: 'listSampleSvs',
  route: 'samples/{sampleId}/svs',
  methods: ['GET'],
  authLevel: 'function',
  handler: listSampleSvsHandler,
});
