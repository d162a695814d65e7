/**
 * The web workspace's files (web/), as served by functions/web.ts in Azure and
 * by the local host (functions/local/server.ts) at `/`, next to the API at `/api`.
 *
 * How `/` is reached:
 * - Azure: host.json sets `extensions.http.routePrefix` to "" and every API
 *   function is registered under `api/<route>` (functions/common/registry.ts),
 *   so this function's catch-all route `{*path}` gets `/` and the workspace's
 *   assets, while literal `api/...` routes take precedence over the
 *   catch-all. App Service authentication (Entra ID) guards these pages like
 *   the API; the files themselves hold no patient data.
 * - Locally: functions/local/server.ts hands every GET/HEAD outside `/api/`
 *   to `serveWebAsset`.
 *
 * Only files under web/ with a known extension are served, plus igv.js from
 * node_modules at /vendor/igv.esm.min.js; anything else is a 404.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HttpResponseInit } from '@azure/functions';
import { findPackageRoot } from '../../shared/packageRoot';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/** The checkout (or deployed app) root; beside this file's folder when none is found, as before. */
const APP_ROOT = findPackageRoot(__dirname) ?? path.resolve(__dirname, '..');
export const WEB_ROOT = path.join(APP_ROOT, 'web');

/** Files served from node_modules (no build step: the browser loads them as they are published). */
const VENDOR: Readonly<Record<string, string>> = {
  'vendor/igv.esm.min.js': path.join('igv', 'dist', 'igv.esm.min.js'),
};

function resolveVendor(file: string): string | null {
  try {
    return require.resolve(file, { paths: [APP_ROOT] });
  } catch {
    const candidate = path.join(APP_ROOT, 'node_modules', file);
    return fs.existsSync(candidate) ? candidate : null;
  }
}

function notFound(what: string): HttpResponseInit {
  return {
    status: 404,
    jsonBody: { error: { code: 'NOT_FOUND', message: `no page or file '${what.slice(0, 200)}'; the workspace is at / and the API at /api` } },
    headers: { 'Cache-Control': 'no-store' },
  };
}

/** The file a request path names, or null when it names none that may be served. */
export function webFilePath(urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    return null;
  }
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  if (rel.includes('\0') || rel.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null;
  const vendor = VENDOR[rel];
  if (vendor) return resolveVendor(vendor);
  if (!CONTENT_TYPES[path.extname(rel).toLowerCase()]) return null;
  const file = path.resolve(WEB_ROOT, rel);
  if (!file.startsWith(WEB_ROOT + path.sep)) return null;
  return file;
}

/** The answer to GET `urlPath` outside /api: a web/ file, or a 404. */
export async function serveWebAsset(urlPath: string, method = 'GET'): Promise<HttpResponseInit> {
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, jsonBody: { error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${urlPath}` } } };
  }
  const file = webFilePath(urlPath);
  if (!file) return notFound(urlPath);
  let body: Buffer;
  try {
    body = await fs.promises.readFile(file);
  } catch {
    return notFound(urlPath);
  }
  const vendored = file.includes(`${path.sep}node_modules${path.sep}`);
  return {
    status: 200,
    body: method === 'HEAD' ? undefined : body,
    headers: {
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      // The app's own files change with each deployment: revalidate. igv.js is pinned by package-lock.
      'Cache-Control': vendored ? 'public, max-age=86400' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy':
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' blob: data:; worker-src 'self' blob:; frame-ancestors 'none'",
      'Referrer-Policy': 'no-referrer',
    },
  };
}
