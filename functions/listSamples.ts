/** GET /api/samples — every sample with its status, newest first. */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { RequestError } from '../shared/errors';
import { listSamples } from './adapters/cosmos';
import { answer, json } from './adapters/http';
import { registerHttp } from './common/registry';
import { sampleView } from './common/sampleView';

const STATUSES = ['queued', 'running', 'completed', 'failed'];

export async function listSamplesHandler(request: HttpRequest, context: InvocationContext) {
  return answer(context, async () => {
    for (const key of request.query.keys()) {
      if (key !== 'status') throw new RequestError(key, 'unknown parameter; accepted: status');
    }
    const status = request.query.get('status');
    if (status !== null && !STATUSES.includes(status)) {
      throw new RequestError('status', `'${status}' is not a status; accepted: ${STATUSES.join(', ')}`);
    }
    const samples = (await listSamples())
      .filter((s) => status === null || s.status === status)
      .sort((a, b) => b.timings.queuedAt.localeCompare(a.timings.queuedAt));
    return json(200, { samples: samples.map((s) => sampleView(s, undefined)) });
  });
}

registerHttp({ name: 'listSamples', route: 'samples', methods: ['GET'], access: 'read', audit: 'list-samples', handler: listSamplesHandler });
