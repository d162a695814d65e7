/**
 * GET /api/health — liveness; no data, no identity needed. `mode` tells the
 * web workspace how users sign in: `local` (development identities sent as
 * x-lag-dev-user / x-lag-dev-roles) or `azure` (App Service authentication).
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { LAG_VERSION } from '../shared/version';
import { json } from './adapters/http';
import { SETTING } from './adapters/settings';
import { registerHttp } from './common/registry';

export async function healthHandler(_request: HttpRequest, _context: InvocationContext) {
  // The same test as loadSettings(), without requiring the rest of the settings: health answers even when they are wrong.
  const mode = /^(1|true|yes|on)$/i.test(process.env[SETTING.local]?.trim() ?? '') ? 'local' : 'azure';
  return json(200, { status: 'ok', version: LAG_VERSION, mode });
}

registerHttp({ name: 'health', route: 'health', methods: ['GET'], access: 'public', handler: healthHandler });
