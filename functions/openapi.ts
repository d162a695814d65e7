/** GET /api/openapi.json — the API description (any signed-in user). */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { openApiDocument } from '../shared/openapi';
import { json } from './adapters/http';
import { registerHttp } from './common/registry';

export async function openApiHandler(_request: HttpRequest, _context: InvocationContext) {
  return json(200, openApiDocument());
}

registerHttp({ name: 'openapi', route: 'openapi.json', methods: ['GET'], access: 'authenticated', handler: openApiHandler });
