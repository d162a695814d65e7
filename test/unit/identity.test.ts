import { authorize, hasAccess, parseClientPrincipal, parseRoleList, resolvePrincipal } from '../../shared/identity';
import { buildAuditQuery, clientIpOf, parseAuditFilters } from '../../shared/audit';
import { etagMatches, httpEtag, nextReview, parseReviewBody } from '../../shared/review';
import { annotationOf, renderReport } from '../../shared/report';
import type { SampleDocument, SvDocument } from '../../shared/contracts';

const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');
const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });

describe('identity', () => {
  test('parses App Service principals: oid, name, roles under any known claim type', () => {
    const p = parseClientPrincipal(
      encode({
        auth_typ: 'aad',
        name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
        role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
        claims: [
          { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' },
          { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', val: 'Alice' },
          { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'Biologist' },
          { typ: 'roles', val: 'admin' },
          { typ: 'roles', val: 'Task.Read' },
        ],
      }),
    );
    expect(p).toEqual({ id: 'oid-1', name: 'Alice', roles: ['biologist', 'admin'], source: 'app-service' });
    expect(parseClientPrincipal(encode({ claims: [] }), 'id-header', 'name-header')).toMatchObject({ id: 'id-header', name: 'name-header', roles: [] });
    expect(() => parseClientPrincipal('%%%')).toThrow(/not base64-encoded JSON/);
    expect(() => parseClientPrincipal(encode({ claims: [] }))).toThrow(/names no user/);
  });

  test('Azure mode reads only x-ms-client-principal; local mode only the development identity', () => {
    const dev = { 'x-lag-dev-user': 'eve', 'x-lag-dev-roles': 'admin' };
    expect(() => resolvePrincipal(headers(dev), 'azure', { user: 'x', roles: ['admin'] })).toThrow(/signed-in user/);
    const principal = encode({ claims: [{ typ: 'name', val: 'bob' }, { typ: 'roles', val: 'biologist' }] });
    expect(resolvePrincipal(headers({ ...dev, 'x-ms-client-principal': principal }), 'azure', undefined)).toMatchObject({ name: 'bob', roles: ['biologist'] });
    expect(resolvePrincipal(headers(dev), 'local', undefined)).toEqual({ id: 'dev:eve', name: 'eve', roles: ['admin'], source: 'local-dev' });
    expect(resolvePrincipal(headers({}), 'local', { user: 'dan', roles: ['biologist'] })).toMatchObject({ name: 'dan', roles: ['biologist'] });
    expect(() => resolvePrincipal(headers({ 'x-ms-client-principal': principal }), 'local', undefined)).toThrow(/LAG_DEV_USER/);
    expect(() => resolvePrincipal(headers({ 'x-lag-dev-user': '<script>' }), 'local', undefined)).toThrow(/not a user name/);
  });

  test('roles: admin can do what a biologist can; 403 names the role', () => {
    const bio = { id: 'b', name: 'bea', roles: ['biologist' as const], source: 'local-dev' as const };
    expect(hasAccess(bio, 'read')).toBe(true);
    expect(hasAccess(bio, 'review')).toBe(true);
    expect(hasAccess({ ...bio, roles: ['admin'] }, 'review')).toBe(true);
    expect(() => authorize(bio, 'audit')).toThrow(/reading the audit trail needs the role 'admin'; bea has the role\(s\) biologist/);
    expect(() => authorize({ ...bio, roles: [] }, 'read')).toThrow(/needs the role 'biologist' or 'admin'; bea has no LAG role/);
    expect(parseRoleList(' Admin, biologist ', 'LAG_DEV_ROLES')).toEqual(['biologist', 'admin']);
    expect(() => parseRoleList('admin,boss', 'LAG_DEV_ROLES')).toThrow(/LAG_DEV_ROLES: 'boss' is not a role/);
  });
});

describe('audit', () => {
  test('client address from X-Forwarded-For without the port', () => {
    expect(clientIpOf(headers({ 'x-forwarded-for': '203.0.113.7:51234, 10.0.0.1' }))).toBe('203.0.113.7');
    expect(clientIpOf(headers({ 'x-forwarded-for': '[2001:db8::1]:443' }))).toBe('2001:db8::1');
    expect(clientIpOf(headers({}))).toBeNull();
  });

  test('filters are validated and become a parameterised query, newest first', () => {
    const f = parseAuditFilters(new URLSearchParams('sampleId=S1&user=alice&from=2025-01-01&to=2025-02-01T00:00:00Z&pageSize=10'));
    expect(f).toMatchObject({ sampleId: 'S1', user: 'alice', from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z', pageSize: 10 });
    const q = buildAuditQuery(f);
    expect(q.query).toBe('SELECT * FROM c WHERE c.sampleId = @sampleId AND (c.user = @user OR c.userId = @user) AND c.at >= @from AND c.at < @to ORDER BY c.at DESC');
    expect(() => parseAuditFilters(new URLSearchParams('since=1'))).toThrow(/since: unknown parameter/);
    expect(() => parseAuditFilters(new URLSearchParams('action=delete'))).toThrow(/action: 'delete' is not an action/);
    expect(() => parseAuditFilters(new URLSearchParams('from=2025-02-01&to=2025-01-01'))).toThrow(/to: .* is not after from/);
  });
});

describe('review', () => {
  test('body validation names the field', () => {
    expect(parseReviewBody({ state: 'confirmed' })).toEqual({ state: 'confirmed', acmgClass: null, comment: '' });
    expect(() => parseReviewBody({ state: 'confirmed', acmg: 'benign' })).toThrow(/acmg: unknown field/);
    expect(() => parseReviewBody({ state: 'confirmed', comment: 'x'.repeat(4001) })).toThrow(/comment: is 4001 characters long/);
    expect(() => parseReviewBody([])).toThrow(/body: must be a JSON object/);
  });

  test('each change keeps the previous version in the history', () => {
    const by = { id: 'u', name: 'U' };
    const v1 = nextReview(undefined, { state: 'uncertain', acmgClass: null, comment: '' }, { sampleId: 'S', svId: 'sv', runId: 'r', by, now: new Date(0) });
    const v2 = nextReview(v1, { state: 'confirmed', acmgClass: 'benign', comment: 'ok' }, { sampleId: 'S', svId: 'sv', runId: 'r', by, now: new Date(1000) });
    expect(v2).toMatchObject({ id: 'sv', version: 2, state: 'confirmed', history: [{ version: 1, state: 'uncertain', at: '1970-01-01T00:00:00.000Z' }] });
  });

  test('ETags: quoted over HTTP, compared without W/ or quotes, * never matches', () => {
    expect(httpEtag('abc')).toBe('"abc"');
    expect(httpEtag('"abc"')).toBe('"abc"');
    expect(etagMatches('W/"abc"', 'abc')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', 'abc')).toBe(false);
  });
});

describe('report', () => {
  const sample = { sampleId: 'S<1>', runId: 'r', build: 'GRCh38', status: 'completed', totalCalls: 3, timings: { finishedAt: '2025-01-01T00:00:00Z' } } as unknown as SampleDocument;
  const sv = (extra: Record<string, unknown>) =>
    ({ callId: 'DEL-1', type: 'DEL', chromosome: '7', pos1: 72_700_001, end1: 74_200_000, svlen: 1_500_000, genotype: '0/1', sortKey: 1, ...extra }) as unknown as SvDocument;
  const review = (state: 'confirmed' | 'false-positive') =>
    nextReview(undefined, { state, acmgClass: state === 'confirmed' ? 'pathogenic' : null, comment: '<i>x</i>' }, { sampleId: 'S', svId: 'DEL-1', runId: 'r', by: { id: 'u', name: 'Dr "U"' }, now: new Date(0) });

  test('renders annotation (ISCN, genes, cytobands) when present, escaped', () => {
    const annotated = sv({ annotation: { genes: ['ELN', 'LIMK1'], cytobands: ['7q11.23'], iscn: 'seq[GRCh38] del(7)(q11.23)' } });
    expect(annotationOf(annotated)).toEqual({ genes: ['ELN', 'LIMK1'], cytobands: ['7q11.23'], iscn: 'seq[GRCh38] del(7)(q11.23)' });
    const html = renderReport({ sample, reviewed: [{ review: review('confirmed'), sv: annotated }], generatedAt: new Date(0), generatedBy: 'me' });
    expect(html).toContain('<td class="iscn">seq[GRCh38] del(7)(q11.23)</td>');
    expect(html).toContain('ELN, LIMK1');
    expect(html).toContain('7:72,700,001-74,200,000');
    expect(html).toContain('1.50 Mb');
    expect(html).toContain('Pathogenic');
    expect(html).toContain('S&lt;1&gt;');
    expect(html).toContain('&lt;i&gt;x&lt;/i&gt;');
    expect(html).toContain('Dr &quot;U&quot;');
    expect(html).not.toMatch(/<i>|S<1>/);
  });

  test('an insertion longer than its reads could assemble is reported as "at least"', () => {
    const ins = sv({ type: 'INS', svlen: 755, svlenAtLeast: true });
    const html = renderReport({ sample, reviewed: [{ review: review('confirmed'), sv: ins }], generatedAt: new Date(0), generatedBy: 'me' });
    expect(html).toContain('<td>≥ 755 bp</td>');
    const exact = renderReport({ sample, reviewed: [{ review: review('confirmed'), sv: sv({ type: 'INS', svlen: 755 }) }], generatedAt: new Date(0), generatedBy: 'me' });
    expect(exact).toContain('<td>755 bp</td>');
  });

  test('works without annotation and lists false positives apart', () => {
    const html = renderReport({ sample, reviewed: [{ review: review('false-positive'), sv: sv({}) }, { review: { ...review('confirmed'), svId: 'GONE' }, sv: undefined }], generatedAt: new Date(0), generatedBy: 'me' });
    expect(annotationOf(sv({}))).toEqual({ genes: [], cytobands: [], iscn: null });
    expect(html).toMatch(/Reviewed abnormalities<\/h2>\s*<table>[\s\S]*GONE \(not in the current analysis\)[\s\S]*Excluded as false positives<\/h2>\s*<table>[\s\S]*False positive/);
  });
});
