/** GET /api/health — liveness; no data, no identity needed. */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { LAG_VERSION } from '../shared/version';
import { json } from './adapters/http';
import { registerHttp } from './common/registry';

export async function healthHandler(_request: HttpRequest, _context: InvocationContext) {
  return json(200, { status: 'ok', version: LAG_VERSION });
}

registerHttp({ name: 'health', route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: healthHandler });
