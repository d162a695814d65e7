/**
 * The web workspace (web/, functions/common/webAssets.ts): static files
 * served by the function app itself at `/`, next to the API at `/api`.
 *
 * How `/` is reached in Azure: host.json sets `extensions.http.routePrefix`
 * to "" and every API function is registered under `api/<route>`
 * (functions/common/registry.ts), so this function's catch-all route
 * `{*path}` gets `/` and the workspace's assets, while the literal `api/...`
 * routes take precedence over a catch-all. Locally, functions/local/server.ts
 * serves the same files for every GET/HEAD outside `/api/`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { serveWebAsset } from './common/webAssets';

export async function webHandler(request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  return serveWebAsset(new URL(request.url).pathname, request.method.toUpperCase());
}

// With routePrefix "" (host.json), this catch-all gets `/` and every path no API route claims.
app.http('web', { route: '{*path}', methods: ['GET', 'HEAD'], authLevel: 'anonymous', handler: webHandler });
