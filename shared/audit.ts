/**
 * The audit trail: one entry per read of a sample's data, per download and
 * per review change (who, when, what, from where). Entries are only ever
 * created: the adapter (functions/adapters/audit.ts) has no update or delete.
 *
 * Stored in Cosmos container `audit`, partition key /sampleId: the question
 * an audit answers first is "who saw this patient's data", a single-partition
 * query; a sample's accesses stay far below a logical partition's 20 GB.
 * Entries that concern no one sample (the sample list, the audit itself)
 * have sampleId null and share one partition.
 */
import { RequestError } from './errors';
import type { Principal } from './identity';
import { MAX_PAGE_SIZE } from './svQuery';

export const AUDIT_ACTIONS = [
  'list-samples',
  'read-sample',
  'read-alignments',
  'list-svs',
  'download-vcf',
  'download-vcf-index',
  'read-review',
  'review-change',
  'read-report',
  'rerun',
  'read-audit',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** A random UUID: entries never collide, and are never replaced. */
  id: string;
  /** ISO 8601 time of the request's answer. */
  at: string;
  /** Display name, and the stable id (Entra object id; `dev:<name>` locally). */
  user: string;
  userId: string;
  roles: string[];
  action: AuditAction;
  sampleId: string | null;
  svId?: string;
  /** The path asked for (with its query string) and the method. */
  route: string;
  method: string;
  /** The HTTP status answered. */
  status: number;
  clientIp: string | null;
  userAgent: string | null;
  /** `app-service` (Entra ID) or `local-dev`. */
  identitySource: Principal['source'];
}

export interface AuditRequestInfo {
  method: string;
  url: string;
  headers: { get(name: string): string | null };
}

/** The client address: first of X-Forwarded-For (App Service sets it), without the port. */
export function clientIpOf(headers: { get(name: string): string | null }): string | null {
  const raw = headers.get('x-forwarded-for')?.split(',')[0]?.trim() || headers.get('x-client-ip')?.trim() || null;
  if (!raw) return null;
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(raw);
  if (v6) return v6[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(raw);
  return v4 ? v4[1]! : raw.slice(0, 100);
}

export function newAuditEntry(
  input: { id: string; principal: Principal; action: AuditAction; sampleId: string | null; svId?: string; status: number },
  request: AuditRequestInfo,
  now: Date,
): AuditEntry {
  const url = new URL(request.url, 'http://localhost');
  return {
    id: input.id,
    at: now.toISOString(),
    user: input.principal.name,
    userId: input.principal.id,
    roles: [...input.principal.roles],
    action: input.action,
    sampleId: input.sampleId,
    ...(input.svId !== undefined ? { svId: input.svId } : {}),
    route: `${url.pathname}${url.search}`.slice(0, 2000),
    method: request.method.toUpperCase(),
    status: input.status,
    clientIp: clientIpOf(request.headers),
    userAgent: request.headers.get('user-agent')?.slice(0, 500) ?? null,
    identitySource: input.principal.source,
  };
}

export interface AuditFilters {
  sampleId?: string;
  /** Matches the user's name or id. */
  user?: string;
  action?: AuditAction;
  /** ISO times, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  pageSize: number;
  continuationToken?: string;
}

const KNOWN = ['sampleId', 'user', 'action', 'from', 'to', 'pageSize', 'continuationToken'];

function parseTime(name: string, raw: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) throw new RequestError(name, `'${raw}' is not a date or time (ISO 8601, e.g. 2025-01-31 or 2025-01-31T14:00:00Z)`);
  return new Date(ms).toISOString();
}

export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  for (const key of params.keys()) {
    if (!KNOWN.includes(key)) throw new RequestError(key, `unknown parameter; accepted: ${KNOWN.join(', ')}`);
  }
  const f: AuditFilters = { pageSize: 100 };
  const sampleId = params.get('sampleId');
  if (sampleId !== null) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(sampleId)) throw new RequestError('sampleId', `'${sampleId.slice(0, 40)}' is not a sample id`);
    f.sampleId = sampleId;
  }
  const user = params.get('user');
  if (user !== null) {
    if (!user.trim() || user.length > 256) throw new RequestError('user', 'must be a user name or id (1–256 characters)');
    f.user = user.trim();
  }
  const action = params.get('action');
  if (action !== null) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) throw new RequestError('action', `'${action}' is not an action; accepted: ${AUDIT_ACTIONS.join(', ')}`);
    f.action = action as AuditAction;
  }
  const from = params.get('from');
  if (from !== null) f.from = parseTime('from', from);
  const to = params.get('to');
  if (to !== null) f.to = parseTime('to', to);
  if (f.from && f.to && f.to <= f.from) throw new RequestError('to', `${f.to} is not after from=${f.from}`);
  const pageSize = params.get('pageSize');
  if (pageSize !== null) {
    const n = /^\d+$/.test(pageSize) ? Number(pageSize) : NaN;
    if (!(n >= 1 && n <= MAX_PAGE_SIZE)) throw new RequestError('pageSize', `'${pageSize}' is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
    f.pageSize = n;
  }
  const token = params.get('continuationToken');
  if (token !== null) {
    if (token.length === 0 || token.length > 4096) throw new RequestError('continuationToken', 'is empty or too long');
    f.continuationToken = token;
  }
  return f;
}

/** The parameterised audit query, newest first (the partition key is in the text when a sample is given). */
export function buildAuditQuery(f: AuditFilters): { query: string; parameters: { name: string; value: string }[] } {
  const where: string[] = [];
  const parameters: { name: string; value: string }[] = [];
  if (f.sampleId !== undefined) {
    where.push('c.sampleId = @sampleId');
    parameters.push({ name: '@sampleId', value: f.sampleId });
  }
  if (f.user !== undefined) {
    where.push('(c.user = @user OR c.userId = @user)');
    parameters.push({ name: '@user', value: f.user });
  }
  if (f.action !== undefined) {
    where.push('c.action = @action');
    parameters.push({ name: '@action', value: f.action });
  }
  if (f.from !== undefined) {
    where.push('c.at >= @from');
    parameters.push({ name: '@from', value: f.from });
  }
  if (f.to !== undefined) {
    where.push('c.at < @to');
    parameters.push({ name: '@to', value: f.to });
  }
  return { query: `SELECT * FROM c${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY c.at DESC`, parameters };
}
