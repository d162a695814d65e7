/**
 * Identity, roles, audit and review (issue 6, API) against the real local
 * stack: Azurite, the Cosmos API server, the example genome analysed once.
 * Also Azure mode (App Service's x-ms-client-principal; the development
 * headers ignored), checked on the very handlers the host registers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { AuditEntry } from '../../shared/audit';
import { DependencyError } from '../../shared/errors';
import * as auditAdapter from '../../functions/adapters/audit';
import { getContainers, queryAll } from '../../functions/adapters/cosmos';
import { resetSettingsCache } from '../../functions/adapters/settings';
import { getHttpFunctions, type RegisteredHttpFunction } from '../../functions/common/registry';
import type { LocalStack } from '../../functions/local/stack';
import { analyseToCompletion, startTestStack } from './testStack';
import { AS_ADMIN, AS_BIOLOGIST, AS_NOBODY_WITH_NO_ROLE, withIdentity } from './devIdentity';

const EXAMPLE = path.join(__dirname, '..', 'data', 'example', 'example.bam');
const run = `a${Date.now().toString(36)}`;
const sample = `${run}-auth`;

let stack: LocalStack;
let tmp: string;
let svIds: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-auth-'));
  // The test stack has no development identity: a request without x-lag-dev-* headers has no user.
  delete process.env.LAG_DEV_USER;
  delete process.env.LAG_DEV_ROLES;
  stack = await startTestStack(tmp);
  await analyseToCompletion(stack, EXAMPLE, sample);
  const svs = await api<{ items: { id: string }[] }>(`samples/${sample}/svs?pageSize=1000`, {}, AS_BIOLOGIST);
  svIds = svs.body.items.map((s) => s.id);
  expect(svIds.length).toBeGreaterThan(2);
}, 180_000);

afterAll(async () => {
  await stack?.runner.idle();
  await stack?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface ErrorBody {
  error: { code: string; message: string };
}

async function api<T = Record<string, unknown>>(
  route: string,
  init: RequestInit = {},
  identity: Record<string, string> | null = null,
): Promise<{ status: number; body: T; headers: Headers }> {
  const r = await fetch(`${stack.url}/api/${route}`, identity ? withIdentity(identity, init) : init);
  const type = r.headers.get('content-type') ?? '';
  const body = (
    init.method === 'HEAD' ? undefined : type.includes('json') ? await r.json() : type.includes('text') ? await r.text() : await r.arrayBuffer()
  ) as T;
  return { status: r.status, body, headers: r.headers };
}

/** A concrete path of a route template (the sample analysed here, its first SV). */
function pathOf(fn: RegisteredHttpFunction): string {
  return fn.route
    .replace('{sampleId}', sample)
    .replace('{svId}', svIds[0] ?? 'x')
    .replace('/{part?}', '');
}

async function auditEntries(userId: string): Promise<AuditEntry[]> {
  return queryAll<AuditEntry>(getContainers().audit, {
    query: 'SELECT * FROM c WHERE c.userId = @u ORDER BY c.at',
    parameters: [{ name: '@u', value: userId }],
  });
}

describe('identity: 401 without one', () => {
  test('every route but health answers 401 with a clear message when the request has no identity', async () => {
    const routes = getHttpFunctions();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const fn of routes) {
      for (const method of fn.methods) {
        const r = await api<ErrorBody>(pathOf(fn), { method, ...(method === 'PUT' ? { body: '{}' } : {}) });
        if (fn.access === 'public') {
          expect({ route: fn.route, status: r.status }).toEqual({ route: fn.route, status: 200 });
          continue;
        }
        expect({ route: fn.route, method, status: r.status }).toEqual({ route: fn.route, method, status: 401 });
        if (method === 'HEAD') continue;
        expect(r.body.error.code).toBe('NOT_AUTHENTICATED');
        expect(r.body.error.message).toMatch(/needs a user.*LAG_DEV_USER.*x-lag-dev-user/);
      }
    }
    expect(routes.filter((f) => f.access === 'public').map((f) => f.route)).toEqual(['health']);
  });

  test('a signed-in user with no LAG role may read the API description but no data (403 naming the role)', async () => {
    expect((await api('openapi.json', {}, AS_NOBODY_WITH_NO_ROLE)).status).toBe(200);
    const r = await api<ErrorBody>(`samples/${sample}`, {}, AS_NOBODY_WITH_NO_ROLE);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/reading sample data needs the role 'biologist' or 'admin'; test-visitor has no LAG role/);
  });
});

test('the API description has the review, report and audit routes, and 401/403 on every documented route but health', async () => {
  const doc = await api<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>('openapi.json', {}, AS_BIOLOGIST);
  expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/samples/{sampleId}/svs/{svId}/review', '/samples/{sampleId}/report', '/audit']));
  expect(Object.keys(doc.body.paths['/samples/{sampleId}/svs/{svId}/review']!)).toEqual(['get', 'put']);
  for (const fn of getHttpFunctions()) {
    const p = `/${fn.route.replace('/{part?}', '')}`;
    for (const method of fn.methods) {
      const op = doc.body.paths[p]?.[method.toLowerCase()];
      if (op && fn.access !== 'public') expect({ p, method, responses: Object.keys(op.responses) }).toEqual({ p, method, responses: expect.arrayContaining(['401', '403']) });
    }
  }
});

describe('roles', () => {
  test('a biologist gets 403 on the admin routes (audit, rerun), with the role needed', async () => {
    const audit = await api<ErrorBody>('audit', {}, AS_BIOLOGIST);
    expect(audit.status).toBe(403);
    expect(audit.body.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(audit.body.error.message).toMatch(/reading the audit trail needs the role 'admin'; test-biologist has the role\(s\) biologist/);
    const rerun = await api<ErrorBody>(`samples/${sample}/rerun`, { method: 'POST' }, AS_BIOLOGIST);
    expect(rerun.status).toBe(403);
    expect(rerun.body.error.message).toMatch(/re-running an analysis needs the role 'admin'/);
  });

  test('an admin passes them (an unknown sample is then a 404, not a 403) and reads data too', async () => {
    expect((await api('audit?pageSize=1', {}, AS_ADMIN)).status).toBe(200);
    expect((await api('samples/nobody-here/rerun', { method: 'POST' }, AS_ADMIN)).status).toBe(404);
    expect((await api(`samples/${sample}`, {}, AS_ADMIN)).status).toBe(200);
  });
});

describe('audit', () => {
  const reader = { 'x-lag-dev-user': `reader-${run}`, 'x-lag-dev-roles': 'biologist', 'user-agent': 'lag-auth-test/1.0' };

  test('every read of a sample’s data writes one entry: who, when, what, from where', async () => {
    const reads: [string, string][] = [
      ['samples', 'list-samples'],
      [`samples/${sample}`, 'read-sample'],
      [`samples/${sample}/svs?type=DEL`, 'list-svs'],
      [`samples/${sample}/vcf`, 'download-vcf'],
      [`samples/${sample}/vcf/index`, 'download-vcf-index'],
      [`samples/${sample}/report`, 'read-report'],
    ];
    const before = Date.now();
    for (const [route] of reads) expect((await api(route, {}, reader)).status).toBe(200);
    expect((await api(`samples/${sample}/svs/${svIds[1]}/review`, {}, reader)).status).toBe(404);
    const entries = await auditEntries(`dev:reader-${run}`);
    expect(entries.map((e) => e.action)).toEqual([...reads.map(([, a]) => a), 'read-review']);
    for (const [i, e] of entries.entries()) {
      expect(e).toMatchObject({
        user: `reader-${run}`,
        roles: ['biologist'],
        method: 'GET',
        clientIp: '127.0.0.1',
        userAgent: 'lag-auth-test/1.0',
        identitySource: 'local-dev',
        sampleId: e.action === 'list-samples' ? null : sample,
        status: e.action === 'read-review' ? 404 : 200,
      });
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(before - 1000);
      expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.route).toBe(`/api/${i < reads.length ? reads[i]![0] : `samples/${sample}/svs/${svIds[1]}/review`}`);
    }
    expect(entries.find((e) => e.action === 'read-review')?.svId).toBe(svIds[1]);
    // The alignments themselves (the workspace's read view): a byte range of the BAM, audited as such.
    const bam = await api(`samples/${sample}/bam`, { headers: { Range: 'bytes=0-1023' } }, reader);
    expect(bam.status).toBe(206);
    const after = await auditEntries(`dev:reader-${run}`);
    expect(after.filter((e) => e.action === 'read-alignments')).toEqual([expect.objectContaining({ sampleId: sample, status: 206, route: `/api/samples/${sample}/bam` })]);
  });

  test('refused requests read nothing and are not data reads; openapi and health are not audited', async () => {
    const user = `refused-${run}`;
    expect((await api('audit', {}, { 'x-lag-dev-user': user, 'x-lag-dev-roles': 'biologist' })).status).toBe(403);
    expect((await api('openapi.json', {}, { 'x-lag-dev-user': user })).status).toBe(200);
    expect(await auditEntries(`dev:${user}`)).toEqual([]);
  });

  test('when the audit entry cannot be written the data is not served (503)', async () => {
    const spy = jest
      .spyOn(auditAdapter, 'appendAuditEntry')
      .mockRejectedValueOnce(new DependencyError('AUDIT_UNAVAILABLE', 'the audit trail could not record this request: Cosmos DB down'));
    try {
      const r = await api<ErrorBody>(`samples/${sample}/svs`, {}, AS_BIOLOGIST);
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('AUDIT_UNAVAILABLE');
      expect(JSON.stringify(r.body)).not.toMatch(/pos1/);
    } finally {
      spy.mockRestore();
    }
  });

  test('admins query it by sample, user, action and time, paged, newest first; reading it is audited', async () => {
    const user = `reader-${run}`;
    const all = await api<{ items: AuditEntry[]; continuationToken: string | null }>(`audit?user=${user}`, {}, AS_ADMIN);
    expect(all.status).toBe(200);
    // The six data reads, the review read and the BAM range of the test above.
    expect(all.body.items.length).toBe(8);
    const times = all.body.items.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    const bySample = await api<{ items: AuditEntry[] }>(`audit?user=${user}&sampleId=${sample}&action=download-vcf`, {}, AS_ADMIN);
    expect(bySample.body.items.map((e) => e.action)).toEqual(['download-vcf']);
    const from = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await api<{ items: AuditEntry[] }>(`audit?user=${user}&from=${from}`, {}, AS_ADMIN)).body.items).toEqual([]);
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const page: { body: { items: AuditEntry[]; continuationToken: string | null } } = await api(
        `audit?user=${user}&pageSize=3${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
        {},
        AS_ADMIN,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((e) => e.id));
      token = page.body.continuationToken;
    } while (token);
    expect(seen).toEqual(all.body.items.map((e) => e.id));
    const bad = await api<ErrorBody & { error: { parameter: string } }>('audit?from=yesterday', {}, AS_ADMIN);
    expect(bad.status).toBe(400);
    expect(bad.body.error.parameter).toBe('from');
    const mine = await auditEntries('dev:test-admin');
    expect(mine.filter((e) => e.action === 'read-audit').length).toBeGreaterThanOrEqual(4);
  });

  test('is append-only: the adapter can only create and query, no route changes it', async () => {
    expect(Object.keys(auditAdapter).sort()).toEqual(['appendAuditEntry', 'queryAuditEntries']);
    const auditRoutes = getHttpFunctions().filter((f) => f.route.split('/')[0] === 'audit');
    expect(auditRoutes.map((f) => [f.route, f.methods])).toEqual([['audit', ['GET']]]);
    for (const method of ['PUT', 'POST', 'DELETE', 'PATCH']) {
      expect((await api('audit', { method }, AS_ADMIN)).status).toBe(405);
    }
    // Handing it an existing entry creates a new one (fresh id): nothing is ever replaced.
    const [first] = await auditEntries(`dev:reader-${run}`);
    const again = await auditAdapter.appendAuditEntry({ ...first!, status: 999 });
    expect(again.id).not.toBe(first!.id);
    // No module but the audit adapter touches the audit container.
    const root = path.join(__dirname, '..', '..', 'functions');
    const users: string[] = [];
    const walk = (dir: string): void => {
      for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, f.name);
        if (f.isDirectory()) walk(p);
        else if (f.name.endsWith('.ts') && /\)\.audit\b|\baudit\.items\b|\.audit\.item\(/.test(fs.readFileSync(p, 'utf8'))) users.push(path.relative(root, p));
      }
    };
    walk(root);
    expect(users).toEqual(['adapters/audit.ts']);
  });
});

describe('review', () => {
  const review = (svId: string) => `samples/${sample}/svs/${svId}/review`;
  const put = (body: unknown, headers: Record<string, string>, who = AS_BIOLOGIST) =>
    api<Record<string, unknown> & ErrorBody>(review(svIds[0]!), { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }, who);

  test('first review with If-None-Match: *, changes with If-Match, 412 on a stale ETag, 428 without, history kept', async () => {
    expect((await api(review(svIds[0]!), {}, AS_BIOLOGIST)).status).toBe(404);
    const none = await put({ state: 'confirmed' }, {});
    expect(none.status).toBe(428);
    expect(none.body.error.message).toMatch(/If-Match/);

    const created = await put({ state: 'uncertain', acmgClass: 'uncertain-significance', comment: 'check by qPCR' }, { 'if-none-match': '*' });
    expect(created.status).toBe(201);
    const etag1 = created.headers.get('etag')!;
    expect(etag1).toMatch(/^".+"$/);
    expect(created.body).toMatchObject({ state: 'uncertain', version: 1, by: { name: 'test-biologist' }, history: [], etag: etag1 });

    const twice = await put({ state: 'confirmed' }, { 'if-none-match': '*' });
    expect(twice.status).toBe(412);
    expect(twice.body.error.code).toBe('REVIEW_EXISTS');

    const changed = await put({ state: 'confirmed', acmgClass: 'pathogenic', comment: '<b>del</b> confirmed & reported' }, { 'if-match': etag1 }, AS_ADMIN);
    expect(changed.status).toBe(200);
    const etag2 = changed.headers.get('etag')!;
    expect(etag2).not.toBe(etag1);

    const stale = await put({ state: 'false-positive' }, { 'if-match': etag1 });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('REVIEW_CHANGED');
    expect(stale.body.error.message).toMatch(/version 2.*test-admin.*GET it again/);
    expect((await put({ state: 'confirmed' }, { 'if-match': '*' })).status).toBe(400);

    const bad = await put({ state: 'real', acmgClass: 'pathogenic' }, { 'if-match': etag2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/state: "real" is not a review state; accepted: confirmed, false-positive, uncertain/);
    const badClass = await put({ state: 'confirmed', acmgClass: 'probably bad' }, { 'if-match': etag2 });
    expect(badClass.body.error.message).toMatch(/acmgClass.*accepted: pathogenic, likely-pathogenic, uncertain-significance, likely-benign, benign/);

    const got = await api<Record<string, unknown>>(review(svIds[0]!), {}, AS_BIOLOGIST);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe(etag2);
    expect(got.body).toMatchObject({
      state: 'confirmed',
      acmgClass: 'pathogenic',
      version: 2,
      by: { name: 'test-admin', id: 'dev:test-admin' },
      history: [{ version: 1, state: 'uncertain', acmgClass: 'uncertain-significance', comment: 'check by qPCR', by: { name: 'test-biologist' } }],
    });
    expect(typeof (got.body.history as { at: string }[])[0]!.at).toBe('string');

    const changes = (await auditEntries('dev:test-biologist')).filter((e) => e.action === 'review-change');
    expect(changes.map((e) => e.status).sort()).toEqual([201, 400, 400, 400, 412, 412, 428].sort());
    expect(changes.every((e) => e.svId === svIds[0] && e.method === 'PUT')).toBe(true);
  });

  test('someone without a role cannot review; an unknown SV is a 404', async () => {
    expect((await put({ state: 'confirmed' }, { 'if-none-match': '*' }, AS_NOBODY_WITH_NO_ROLE)).status).toBe(403);
    const r = await api(review('DEL-20-1-nothing'), { method: 'PUT', body: JSON.stringify({ state: 'confirmed' }), headers: { 'if-none-match': '*' } }, AS_BIOLOGIST);
    expect(r.status).toBe(404);
  });

  test('the SV list carries each SV’s review and filters on it', async () => {
    await api(review(svIds[1]!), { method: 'PUT', body: JSON.stringify({ state: 'false-positive' }), headers: { 'if-none-match': '*' } }, AS_BIOLOGIST);
    const all = await api<{ items: { id: string; review: { state: string; version: number } | null }[] }>(`samples/${sample}/svs?pageSize=1000`, {}, AS_BIOLOGIST);
    const byId = new Map(all.body.items.map((s) => [s.id, s.review]));
    expect(byId.get(svIds[0]!)).toMatchObject({ state: 'confirmed', acmgClass: 'pathogenic', version: 2, by: 'test-admin' });
    expect(byId.get(svIds[1]!)).toMatchObject({ state: 'false-positive', version: 1 });
    expect(byId.get(svIds[2]!)).toBeNull();
    const ids = async (q: string) => (await api<{ items: { id: string }[] }>(`samples/${sample}/svs?pageSize=1000&review=${q}`, {}, AS_BIOLOGIST)).body.items.map((s) => s.id);
    expect(await ids('confirmed')).toEqual([svIds[0]]);
    expect(await ids('confirmed,false-positive')).toEqual([svIds[0], svIds[1]]);
    expect(await ids('unreviewed')).toEqual(svIds.slice(2));
    expect(await ids('unreviewed,confirmed')).toEqual(svIds.filter((id) => id !== svIds[1]));
    expect((await api(`samples/${sample}/svs?review=maybe`, {}, AS_BIOLOGIST)).status).toBe(400);
  });

  test('the report lists the reviewed SVs, escaped, as printable HTML', async () => {
    const r = await api<string>(`samples/${sample}/report`, {}, AS_BIOLOGIST);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.body).toMatch(/<h1>Structural variant report — /);
    expect(r.body).toContain('Pathogenic');
    expect(r.body).toContain('&lt;b&gt;del&lt;/b&gt; confirmed &amp; reported');
    expect(r.body).not.toContain('<b>del</b>');
    expect(r.body).toMatch(/Excluded as false positives<\/h2>\s*<table>/);
  });
});

describe('Azure mode (App Service authentication)', () => {
  const AZURE_ENV = {
    GENOMES_STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net',
    GENOMES_STORAGE__queueServiceUri: 'https://acct.queue.core.windows.net',
    COSMOS__accountEndpoint: 'https://acct.documents.azure.com:443/',
  };
  let saved: Record<string, string | undefined>;

  beforeAll(() => {
    saved = Object.fromEntries(['LAG_LOCAL', ...Object.keys(AZURE_ENV)].map((k) => [k, process.env[k]]));
    delete process.env.LAG_LOCAL;
    Object.assign(process.env, AZURE_ENV);
    resetSettingsCache();
  });

  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetSettingsCache();
  });

  const principal = (claims: { typ: string; val: string }[], extra: Record<string, unknown> = {}) =>
    Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', claims, ...extra })).toString('base64');

  async function call(name: string, headers: Record<string, string>, route = 'https://app.azurewebsites.net/api/x') {
    const fn = getHttpFunctions().find((f) => f.name === name)!;
    const request = new HttpRequest({ method: fn.methods[0]!, url: route, headers, params: { sampleId: sample } });
    const context = new InvocationContext({ functionName: name, invocationId: 'azure-test', logHandler: () => undefined });
    const response = await fn.serve(request, context, stack.runner);
    return { status: response.status ?? 200, body: response.jsonBody as ErrorBody };
  }

  test('no x-ms-client-principal: 401, and the development headers are ignored', async () => {
    const r = await call('getSample', AS_ADMIN);
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/signed-in user.*Entra ID token/);
    expect((await call('queryAudit', { ...AS_ADMIN, 'x-ms-client-principal-name': 'mallory' })).status).toBe(401);
  });

  test('a principal with app roles under either claim type is authorised by them', async () => {
    const biologist = principal([
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: '11111111-2222-3333-4444-555555555555' },
      { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', val: 'alice@hospital.fr' },
      { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'biologist' },
    ]);
    const forbidden = await call('queryAudit', { 'x-ms-client-principal': biologist, ...AS_ADMIN });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toMatch(/needs the role 'admin'; alice@hospital.fr has the role\(s\) biologist/);
    expect((await call('rerunSample', { 'x-ms-client-principal': biologist })).status).toBe(403);
    const admin = principal([{ typ: 'oid', val: 'abc' }, { typ: 'preferred_username', val: 'bob@hospital.fr' }, { typ: 'roles', val: 'Admin' }], { role_typ: 'roles' });
    // openapi needs any signed-in user; a role is not enough to skip the principal.
    expect((await call('openapi', { 'x-ms-client-principal': admin })).status).toBe(200);
    expect((await call('openapi', { 'x-ms-client-principal': 'not base64 json' })).status).toBe(401);
    const noRole = principal([{ typ: 'name', val: 'carol' }]);
    expect((await call('getSample', { 'x-ms-client-principal': noRole })).status).toBe(403);
  });
});
