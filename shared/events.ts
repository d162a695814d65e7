/**
 * BlobCreated events as Event Grid delivers them to the `genome-events`
 * storage queue: Event Grid schema (`eventType`, `subject`, `data.eTag`) or
 * CloudEvents 1.0 (`type`, `subject`, `data.eTag`). The subject is
 * `/blobServices/default/containers/<container>/blobs/<name>`.
 */

export interface BlobCreated {
  eventId: string;
  container: string;
  blobName: string;
  eTag: string | null;
}

export type ParsedEvent = { kind: 'blob-created'; event: BlobCreated } | { kind: 'ignored'; reason: string };

const SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/;

export function parseBlobEvent(message: unknown): ParsedEvent {
  let event: unknown = message;
  if (typeof message === 'string') {
    try {
      event = JSON.parse(message);
    } catch {
      return { kind: 'ignored', reason: `the queue message is not JSON: ${message.slice(0, 80)}` };
    }
  }
  if (Array.isArray(event)) {
    return { kind: 'ignored', reason: 'the queue message holds a batch of events; Event Grid delivers one event per message' };
  }
  if (typeof event !== 'object' || event === null) return { kind: 'ignored', reason: 'the queue message is not an event object' };
  const e = event as Record<string, unknown>;
  const type = (e.eventType ?? e.type) as unknown;
  if (type !== 'Microsoft.Storage.BlobCreated') return { kind: 'ignored', reason: `event type ${String(type)} is not BlobCreated` };
  const subject = typeof e.subject === 'string' ? SUBJECT.exec(e.subject) : null;
  if (!subject) return { kind: 'ignored', reason: `event subject ${String(e.subject)} is not a blob path` };
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  return {
    kind: 'blob-created',
    event: {
      eventId: String(e.id ?? ''),
      container: subject[1]!,
      blobName: decodeURIComponent(subject[2]!),
      eTag: typeof data.eTag === 'string' ? data.eTag : null,
    },
  };
}

/** An Event Grid BlobCreated event, as the local watcher synthesises it. */
export function blobCreatedEvent(container: string, blobName: string, eTag: string, now: Date): Record<string, unknown> {
  return {
    id: `${container}/${blobName}@${eTag}`,
    eventType: 'Microsoft.Storage.BlobCreated',
    subject: `/blobServices/default/containers/${container}/blobs/${blobName}`,
    eventTime: now.toISOString(),
    dataVersion: '',
    data: { api: 'PutBlob', eTag, blobType: 'BlockBlob' },
  };
}
