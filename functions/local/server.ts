/**
 * The local HTTP host: serves the registered HTTP functions on
 * http://127.0.0.1:<port>/api/<route> (and the web workspace at `/`), building the same HttpRequest and
 * InvocationContext objects the Functions host gives them, through the same
 * wrapper (identity, roles, audit: functions/common/registry.ts). Local mode
 * listens on the loopback interface only; the caller's address reaches the
 * audit trail as X-Forwarded-For, as App Service passes it in Azure.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import type { OrchestrationClient } from '../adapters/durableClient';
import { getHttpFunctions, type HttpFunction, type RegisteredHttpFunction } from '../common/registry';
import { serveWebAsset } from '../common/webAssets';

interface CompiledRoute {
  fn: RegisteredHttpFunction;
  match: (path: string) => Record<string, string> | null;
}

/** `samples/{sampleId}/vcf/{part?}` → a matcher of `/api/...` paths. */
export function compileRoute(template: string): (path: string) => Record<string, string> | null {
  const names: string[] = [];
  const pattern = template
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)(\?)?\}$/.exec(seg);
      if (!m) return `/${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      names.push(m[1]!);
      return m[2] ? '(?:/([^/]+))?' : '/([^/]+)';
    })
    .join('');
  const re = new RegExp(`^/api${pattern}/?$`);
  return (path) => {
    const m = re.exec(path);
    if (!m) return null;
    const params: Record<string, string> = {};
    names.forEach((n, i) => {
      const v = m[i + 1];
      if (v !== undefined) params[n] = decodeURIComponent(v);
    });
    return params;
  };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function send(res: http.ServerResponse, init: HttpResponseInit): Promise<void> {
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  let body: Buffer | undefined;
  if (init.jsonBody !== undefined) {
    body = Buffer.from(JSON.stringify(init.jsonBody));
    if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  } else if (typeof init.body === 'string') {
    body = Buffer.from(init.body);
  } else if (init.body instanceof Uint8Array) {
    body = Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength);
  } else if (init.body !== undefined && init.body !== null) {
    body = Buffer.from(await new Response(init.body as ConstructorParameters<typeof Response>[0]).arrayBuffer());
  }
  headers.forEach((value, key) => res.setHeader(key, value));
  res.statusCode = init.status ?? 200;
  res.end(body);
}

export function createLocalServer(options: { client: OrchestrationClient; log: (line: string) => void }): http.Server {
  const routes: CompiledRoute[] = getHttpFunctions().map((fn) => ({ fn, match: compileRoute(fn.route) }));
  return http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const started = Date.now();
      let matchedPath = false;
      for (const route of routes) {
        const params = route.match(url.pathname);
        if (!params) continue;
        matchedPath = true;
        if (!route.fn.methods.includes((req.method ?? 'GET') as HttpFunction['methods'][number])) continue;
        const body = await readBody(req);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        if (!headers['x-forwarded-for'] && req.socket.remoteAddress) headers['x-forwarded-for'] = req.socket.remoteAddress;
        const request = new HttpRequest({
          method: req.method ?? 'GET',
          url: url.toString(),
          headers,
          params,
          ...(body.length > 0 ? { body: { bytes: body } } : {}),
        });
        const context = new InvocationContext({
          functionName: route.fn.name,
          invocationId: randomUUID(),
          logHandler: (level, ...args) => options.log(`[${route.fn.name}] ${level}: ${args.map(String).join(' ')}`),
        });
        const response = await route.fn.serve(request, context, options.client);
        await send(res, response);
        options.log(`${req.method} ${url.pathname}${url.search} → ${response.status ?? 200} (${Date.now() - started} ms)`);
        return;
      }
      if (!matchedPath && !url.pathname.startsWith('/api/') && url.pathname !== '/api') {
        // The web workspace, as functions/web.ts serves it at `/` in Azure.
        await send(res, await serveWebAsset(url.pathname, req.method ?? 'GET'));
        return;
      }
      const status = matchedPath ? 405 : 404;
      const message = matchedPath
        ? `${req.method} is not allowed on ${url.pathname}`
        : `no route ${url.pathname}; the API is described at /api/openapi.json`;
      await send(res, { status, jsonBody: { error: { code: status === 404 ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED', message } } });
    })().catch((e: unknown) => {
      options.log(`local server error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'local server error; see its log' } }));
      }
    });
  });
}
