/**
 * The audit trail's only door: entries are created (with a fresh UUID, so a
 * create can never replace one) and queried. There is deliberately no update,
 * upsert or delete here, and no other module touches the `audit` container.
 */
import { randomUUID } from 'node:crypto';
import { type AuditEntry, type AuditFilters, buildAuditQuery } from '../../shared/audit';
import { DependencyError } from '../../shared/errors';
import { getContainers, mapCosmosError, type Page, queryPage } from './cosmos';
import type { Settings } from './settings';

/** Writes one entry (its id replaced by a new UUID). A failure is a DependencyError (503): the caller must not serve the data. */
export async function appendAuditEntry(entry: Omit<AuditEntry, 'id'> & { id?: string }, settings?: Settings): Promise<AuditEntry> {
  const doc: AuditEntry = { ...entry, id: randomUUID() };
  try {
    await getContainers(settings).audit.items.create(doc);
  } catch (e) {
    const err = mapCosmosError(e, `audit entry (${doc.action}${doc.sampleId ? ` on ${doc.sampleId}` : ''})`);
    throw err instanceof DependencyError
      ? err
      : new DependencyError('AUDIT_UNAVAILABLE', `the audit trail could not record this request: ${err.message}`, { cause: e });
  }
  return doc;
}

/** One page of entries, newest first. */
export async function queryAuditEntries(filters: AuditFilters, settings?: Settings): Promise<Page<AuditEntry>> {
  return queryPage<AuditEntry>(getContainers(settings).audit, buildAuditQuery(filters), {
    maxItemCount: filters.pageSize,
    ...(filters.sampleId !== undefined ? { partitionKey: filters.sampleId } : {}),
    ...(filters.continuationToken ? { continuationToken: filters.continuationToken } : {}),
  });
}
