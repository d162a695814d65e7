/** GET /api/samples/{sampleId} — one sample: status, live progress, library, counts, warnings, error. */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import type { OrchestrationClient } from './adapters/durableClient';
import { answer, json } from './adapters/http';
import { registerHttp } from './common/registry';
import { type LiveProgress, requireSample, sampleView } from './common/sampleView';
import { layout } from '../shared/layout';
import { countUnitResults } from './adapters/results';

export async function getSampleHandler(request: HttpRequest, context: InvocationContext, client: OrchestrationClient) {
  return answer(context, async () => {
    const doc = await requireSample(request.params.sampleId);
    let live: LiveProgress | undefined;
    if (doc.status === 'running' || doc.status === 'queued') {
      const status = await client.getStatus(doc.runId);
      if (status) live = { status, unitsDone: await countUnitResults(layout.unitsPrefix(doc.sampleId, doc.runId)) };
    }
    return json(200, sampleView(doc, live));
  });
}

registerHttp({ name: 'getSample', route: 'samples/{sampleId}', methods: ['GET'], access: 'read', audit: 'read-sample', handler: getSampleHandler });
