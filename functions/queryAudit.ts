/**
 * GET /api/audit — the audit trail, newest first (admins only): filters
 * `sampleId`, `user` (name or id), `action`, `from`/`to` (ISO dates or
 * times), `pageSize` (≤ 1000) and `continuationToken`. Reading it is itself
 * audited. There is no route that changes or deletes audit entries.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { parseAuditFilters } from '../shared/audit';
import { queryAuditEntries } from './adapters/audit';
import { answer, json } from './adapters/http';
import { registerHttp } from './common/registry';

export async function queryAuditHandler(request: HttpRequest, context: InvocationContext) {
  return answer(context, async () => {
    const filters = parseAuditFilters(request.query);
    const page = await queryAuditEntries(filters);
    return json(200, { count: page.items.length, items: page.items, continuationToken: page.continuationToken ?? null });
  });
}

registerHttp({ name: 'queryAudit', route: 'audit', methods: ['GET'], access: 'audit', audit: 'read-audit', handler: queryAuditHandler });
