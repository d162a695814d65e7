/**
 * The one module that opens Cosmos DB.
 *
 * Azure: Entra ID (managed identity) through `aadCredentials`, no keys.
 * Data-plane RBAC cannot create databases or containers, so in Azure mode
 * `ensureCosmos()` only checks they exist (the Bicep template creates them).
 *
 * Local: the Cosmos API server (@vercel/cosmosdb-server) over HTTPS. The
 * client gets its own https.Agent trusting the server's certificate
 * (COSMOS_CA_CERT_FILE); without that file, certificate checks are turned off
 * on that one agent only, never process-wide.
 *
 * The local server keeps data in memory, has no GROUP BY / OFFSET / DISTINCT,
 * and ignores the partition key of a query: every query here filters
 * `c.sampleId = @sampleId` in its text as well as passing `partitionKey`.
 *
 * Errors leave as LagErrors: 404 → NotFoundError (or `undefined` where
 * documented), 409/412 → ConflictError, 408/429/449/5xx/network →
 * DependencyError, other 4xx → InternalError (a bug in the request).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import { BulkOperationType, CosmosClient } from '@azure/cosmos';
import type {
  Container,
  CosmosClientOptions,
  JSONObject,
  OperationInput,
  SqlQuerySpec,
} from '@azure/cosmos';
import { COSMOS } from '../../shared/contracts';
import type { SampleDocument, SvDocument } from '../../shared/contracts';
import { MAX_PAGE_SIZE, buildSvQuery } from '../../shared/svQuery';
import type { SvFilters } from '../../shared/svQuery';
import {
  ConflictError,
  DependencyError,
  InternalError,
  NotFoundError,
  RequestError,
  isLagError,
} from '../../shared/errors';
import { SETTING, currentSettings, getCredential } from './settings';
import type { Settings } from './settings';

// ---------------------------------------------------------------------------
// Client

const clients = new Map<string, CosmosClient>();

function clientKey(settings: Settings): string {
  const c = settings.cosmos;
  return c.auth === 'key'
    ? `key:${c.endpoint}:${c.caCertFile ?? ''}`
    : `id:${c.endpoint}:${settings.managedIdentityClientId ?? ''}`;
}

/** The https.Agent of local mode: trusts the local server's CA, or (no CA file) skips checks on this agent only. */
function localAgent(endpoint: string, caCertFile: string | undefined): https.Agent | undefined {
  if (!endpoint.startsWith('https:')) return undefined;
  if (caCertFile) {
    let ca: Buffer;
    try {
      ca = fs.readFileSync(caCertFile);
    } catch (e) {
      throw new InternalError(
        'SETTING_MISSING',
        `Configuration error: ${SETTING.cosmosCaCertFile}="${caCertFile}" cannot be read: ${(e as Error).message}`,
        { cause: e },
      );
    }
    return new https.Agent({ ca, keepAlive: true });
  }
  // The server's bundled certificate is self-signed, expired and issued to
  // "cosmosdb": it cannot be verified, so this one agent does not verify it.
  return new https.Agent({ rejectUnauthorized: false, keepAlive: true });
}

/** The CosmosClient for these settings (default: process.env), cached. */
export function getCosmos(settings: Settings = currentSettings()): CosmosClient {
  const key = clientKey(settings);
  let client = clients.get(key);
  if (!client) {
    const c = settings.cosmos;
    let options: CosmosClientOptions;
    if (c.auth === 'key') {
      const agent = localAgent(c.endpoint, c.caCertFile);
      options = {
        endpoint: c.endpoint,
        key: c.key,
        ...(agent ? { agent } : {}),
        // The local server is one endpoint; do not follow the locations it reports.
        connectionPolicy: { enableEndpointDiscovery: false },
      };
    } else {
      options = { endpoint: c.endpoint, aadCredentials: getCredential(settings) };
    }
    client = new CosmosClient(options);
    clients.set(key, client);
  }
  return client;
}

/** Dispose and forget cached clients (tests that switch settings). */
export function resetCosmosClients(): void {
  for (const client of clients.values()) client.dispose();
  clients.clear();
  ensured.clear();
}

export interface CosmosContainers {
  samples: Container;
  svCalls: Container;
  reviews: Container;
  /** Append-only: only functions/adapters/audit.ts uses it, and only to create and query. */
  audit: Container;
}

export function getContainers(settings?: Settings): CosmosContainers {
  const db = getCosmos(settings).database(COSMOS.database);
  return {
    samples: db.container(COSMOS.samples),
    svCalls: db.container(COSMOS.svCalls),
    reviews: db.container(COSMOS.reviews),
    audit: db.container(COSMOS.audit),
  };
}

export const PARTITION_KEY_PATH = '/sampleId';

const ensured = new Map<string, Promise<void>>();

/**
 * Local mode: creates database `lag` and containers `samples`, `svCalls`,
 * `reviews` and `audit` (partition key /sampleId). Azure mode: checks they exist (Entra ID
 * data-plane access cannot create them; infra/ does). Once per client.
 */
export function ensureCosmos(settings: Settings = currentSettings()): Promise<void> {
  const key = clientKey(settings);
  let done = ensured.get(key);
  if (!done) {
    done = ensureCosmosNow(settings).catch((e: unknown) => {
      ensured.delete(key);
      throw e;
    });
    ensured.set(key, done);
  }
  return done;
}

async function ensureCosmosNow(settings: Settings): Promise<void> {
  const client = getCosmos(settings);
  const containers = [
    { id: COSMOS.samples, partitionKey: { paths: [PARTITION_KEY_PATH] } },
    { id: COSMOS.svCalls, partitionKey: { paths: [PARTITION_KEY_PATH] } },
    { id: COSMOS.reviews, partitionKey: { paths: [PARTITION_KEY_PATH] } },
    { id: COSMOS.audit, partitionKey: { paths: [PARTITION_KEY_PATH] } },
  ];
  if (settings.mode === 'local') {
    try {
      const { database } = await client.databases.createIfNotExists({ id: COSMOS.database });
      for (const def of containers) await database.containers.createIfNotExists(def);
    } catch (e) {
      throw mapCosmosError(e, `database ${COSMOS.database}`);
    }
    return;
  }
  const db = client.database(COSMOS.database);
  for (const what of [undefined, ...containers.map((c) => c.id)]) {
    try {
      await (what === undefined ? db.read() : db.container(what).read());
    } catch (e) {
      if (statusOf(e) === 404) {
        throw new InternalError(
          'COSMOS_NOT_PROVISIONED',
          `Cosmos DB ${what === undefined ? `database ${COSMOS.database}` : `container ${COSMOS.database}/${what}`} ` +
            'does not exist; the infrastructure template (infra/) creates it.',
          { cause: e },
        );
      }
      throw mapCosmosError(e, what === undefined ? `database ${COSMOS.database}` : `container ${what}`);
    }
  }
}

// ---------------------------------------------------------------------------
// Errors

/** The HTTP status of a Cosmos SDK error, when it has one. */
export function statusOf(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, statusCode } = e as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

/** Any error from the Cosmos SDK as a LagError; `what` names the object for the message. */
export function mapCosmosError(e: unknown, what: string): Error {
  if (isLagError(e)) return e;
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as {
    name?: string;
    message?: string;
    code?: unknown;
  };
  if (err.name === 'AbortError') return e instanceof Error ? e : new Error(String(e));
  const status = statusOf(e);
  const detail = (err.message ?? '').split('\n')[0]?.slice(0, 500) ?? '';
  if (status === 404) {
    const notFound = new NotFoundError(`${what} does not exist`);
    Object.defineProperty(notFound, 'cause', { value: e });
    return notFound;
  }
  if (status === 409 || status === 412) {
    return new ConflictError(status === 409 ? 'COSMOS_CONFLICT' : 'PRECONDITION_FAILED', `${what}: ${detail}`, {
      cause: e,
    });
  }
  if (
    status === undefined ||
    status === 401 ||
    status === 403 ||
    status === 408 ||
    status === 410 ||
    status === 429 ||
    status === 449 ||
    status >= 500
  ) {
    const code = typeof err.code === 'string' ? ` ${err.code}` : '';
    return new DependencyError(
      'COSMOS_UNAVAILABLE',
      `Cosmos DB failed on ${what}${status ? ` (HTTP ${status})` : code}: ${detail}`,
      { cause: e },
    );
  }
  return new InternalError('COSMOS_REQUEST_REJECTED', `Cosmos DB rejected a request on ${what} (HTTP ${status}): ${detail}`, {
    cause: e,
  });
}

// ---------------------------------------------------------------------------
// Paging

export interface Page<T> {
  items: T[];
  /** Absent on the last page. Opaque: pass it back unchanged. */
  continuationToken?: string;
}

export interface PageOptions {
  continuationToken?: string;
  maxItemCount?: number;
  /** Route to one logical partition (the query text must still filter on it: the local server ignores this). */
  partitionKey?: string;
}

const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn'] as const;

/** A document without Cosmos DB's system properties. */
export function stripSystem<T>(doc: T): T {
  if (typeof doc !== 'object' || doc === null) return doc;
  const copy = { ...(doc as Record<string, unknown>) };
  for (const p of SYSTEM_PROPERTIES) delete copy[p];
  return copy as T;
}

/** A fingerprint of the query text and parameters a continuation token belongs to. */
function queryFingerprint(querySpec: SqlQuerySpec): string {
  return createHash('sha256')
    .update(JSON.stringify([querySpec.query, querySpec.parameters ?? []]))
    .digest('base64url')
    .slice(0, 16);
}

/**
 * The token handed out: Cosmos DB's own continuation token wrapped with the
 * fingerprint of its query, base64url-encoded (safe in a URL). A token that
 * was altered or comes from another query is a RequestError, locally as in
 * Azure (the local server would silently restart from the first page).
 */
function wrapToken(querySpec: SqlQuerySpec, sdkToken: string): string {
  return Buffer.from(JSON.stringify({ q: queryFingerprint(querySpec), t: sdkToken }), 'utf8').toString('base64url');
}

function unwrapToken(querySpec: SqlQuerySpec, token: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { q, t } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { q?: unknown; t?: unknown };
  if (typeof t !== 'string' || !t) {
    throw new RequestError('continuationToken', 'is not a token this API handed out');
  }
  if (q !== queryFingerprint(querySpec)) {
    throw new RequestError('continuationToken', 'belongs to another query: keep the same filters when paging');
  }
  return t;
}

/**
 * One page of a parameterised query, with Cosmos DB's continuation tokens
 * (they work against the local server too), wrapped so that a token is only
 * accepted back with the same query. Empty intermediate pages are skipped, so
 * a page is empty only when the query has no more results.
 */
export async function queryPage<T>(container: Container, querySpec: SqlQuerySpec, options: PageOptions = {}): Promise<Page<T>> {
  const maxItemCount = options.maxItemCount ?? 100;
  if (!Number.isInteger(maxItemCount) || maxItemCount < 1) {
    throw new InternalError('BAD_PAGE_SIZE', `maxItemCount must be a positive integer, not ${maxItemCount}`);
  }
  let token = options.continuationToken ? unwrapToken(querySpec, options.continuationToken) : undefined;
  try {
    for (let round = 0; round < 20; round += 1) {
      const iterator = container.items.query<T>(querySpec, {
        maxItemCount,
        continuationTokenLimitInKB: 2,
        ...(token ? { continuationToken: token } : {}),
        ...(options.partitionKey !== undefined ? { partitionKey: options.partitionKey } : {}),
      });
      const r = await iterator.fetchNext();
      token = r.continuationToken || undefined;
      const items = (r.resources ?? []).map((d) => stripSystem(d));
      if (items.length > 0 || !token) {
        return { items, ...(token ? { continuationToken: wrapToken(querySpec, token) } : {}) };
      }
    }
  } catch (e) {
    if (statusOf(e) === 400 && options.continuationToken) {
      throw new RequestError('continuationToken', 'is no longer valid for this query; start again from the first page');
    }
    throw mapCosmosError(e, `query on ${container.id}`);
  }
  return { items: [], ...(token ? { continuationToken: wrapToken(querySpec, token) } : {}) };
}

/** Every result of a query (for small result sets only). */
export async function queryAll<T>(container: Container, querySpec: SqlQuerySpec, options: Omit<PageOptions, 'continuationToken'> = {}): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await queryPage<T>(container, querySpec, { ...options, maxItemCount: options.maxItemCount ?? 1000, ...(token ? { continuationToken: token } : {}) });
    all.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return all;
}

// ---------------------------------------------------------------------------
// Samples

/** Creates or replaces a sample's document (id = sampleId, partition = sampleId). */
export async function upsertSample(doc: SampleDocument, settings?: Settings): Promise<void> {
  if (doc.id !== doc.sampleId) {
    throw new InternalError('BAD_SAMPLE_DOCUMENT', `sample document id "${doc.id}" must equal its sampleId "${doc.sampleId}"`);
  }
  try {
    await getContainers(settings).samples.items.upsert(doc);
  } catch (e) {
    throw mapCosmosError(e, `sample ${doc.sampleId}`);
  }
}

/** A sample's document, or undefined when there is none. */
export async function readSample(sampleId: string, settings?: Settings): Promise<SampleDocument | undefined> {
  try {
    const r = await getContainers(settings).samples.item(sampleId, sampleId).read<SampleDocument>();
    return r.resource ? stripSystem(r.resource) : undefined;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw mapCosmosError(e, `sample ${sampleId}`);
  }
}

/** Every sample, most recently updated first. */
export async function listSamples(settings?: Settings): Promise<SampleDocument[]> {
  return queryAll<SampleDocument>(getContainers(settings).samples, {
    query: 'SELECT * FROM c ORDER BY c.updatedAt DESC',
  });
}

// ---------------------------------------------------------------------------
// SV calls

/**
 * Up to this many operations run as point operations (POINT_CONCURRENCY at a
 * time); more go through the SDK's bulk executor, which batches per partition
 * range, bounds its own concurrency and retries throttling, but waits about a
 * second to flush a partial batch.
 */
const POINT_MAX = 100;
const POINT_CONCURRENCY = 16;
/** Operations per executeBulkOperations call (bounds memory of in-flight results). */
const BULK_CHUNK = 5000;

type ItemOp = { kind: 'upsert'; doc: SvDocument } | { kind: 'delete'; id: string; partitionKey: string };

function opId(op: ItemOp): string {
  return op.kind === 'upsert' ? op.doc.id : op.id;
}

/** Runs item operations; returns how many succeeded. 404s on deletes count as done by someone else. */
async function runItemOps(container: Container, ops: ItemOp[], what: string): Promise<number> {
  let done = 0;
  if (ops.length <= POINT_MAX) {
    let next = 0;
    const worker = async () => {
      while (next < ops.length) {
        const op = ops[next++]!;
        try {
          if (op.kind === 'upsert') await container.items.upsert(op.doc);
          else await container.item(op.id, op.partitionKey).delete();
          done += 1;
        } catch (e) {
          if (op.kind === 'delete' && statusOf(e) === 404) continue;
          throw mapCosmosError(e, `${what} (item ${opId(op)})`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(POINT_CONCURRENCY, ops.length) }, worker));
    return done;
  }
  for (let i = 0; i < ops.length; i += BULK_CHUNK) {
    const chunk: OperationInput[] = ops.slice(i, i + BULK_CHUNK).map((op) =>
      op.kind === 'upsert'
        ? { operationType: BulkOperationType.Upsert, partitionKey: op.doc.sampleId, resourceBody: op.doc as unknown as JSONObject }
        : { operationType: BulkOperationType.Delete, partitionKey: op.partitionKey, id: op.id },
    );
    let results;
    try {
      results = await container.items.executeBulkOperations(chunk);
    } catch (e) {
      throw mapCosmosError(e, what);
    }
    for (const r of results) {
      const status = r.error ? (statusOf(r.error) ?? 500) : (r.response?.statusCode ?? 500);
      if (status < 400) {
        done += 1;
        continue;
      }
      if (status === 404 && r.operationInput.operationType === BulkOperationType.Delete) continue;
      const input = r.operationInput;
      const id = 'id' in input ? input.id : String(input.resourceBody?.id);
      const error = r.error ?? Object.assign(new Error(`bulk ${input.operationType} failed with HTTP ${status}`), { code: status });
      throw mapCosmosError(error, `${what} (item ${id})`);
    }
  }
  return done;
}

/**
 * Upserts SV documents with bounded concurrency (point operations for up to
 * 100, the SDK's bulk executor beyond). Ids are deterministic, so a retried
 * activity writes the same documents again. Returns how many were written.
 */
export async function upsertSvCalls(docs: SvDocument[], settings?: Settings): Promise<number> {
  if (docs.length === 0) return 0;
  for (const doc of docs) {
    if (!doc.id || !doc.sampleId) throw new InternalError('BAD_SV_DOCUMENT', `SV document without id or sampleId: ${JSON.stringify(doc).slice(0, 200)}`);
  }
  return runItemOps(getContainers(settings).svCalls, docs.map((doc) => ({ kind: 'upsert' as const, doc })), 'svCalls upsert');
}

/** Deletes a sample's SV documents from runs other than `runId`; returns how many. */
export async function deleteSvCallsNotInRun(sampleId: string, runId: string, settings?: Settings): Promise<number> {
  const container = getContainers(settings).svCalls;
  const querySpec: SqlQuerySpec = {
    query: 'SELECT c.id FROM c WHERE c.sampleId = @sampleId AND c.runId != @runId',
    parameters: [
      { name: '@sampleId', value: sampleId },
      { name: '@runId', value: runId },
    ],
  };
  let deleted = 0;
  // Query from the start each round: deleting while following a continuation token could skip documents.
  for (;;) {
    const page = await queryPage<{ id: string }>(container, querySpec, { partitionKey: sampleId, maxItemCount: 1000 });
    if (page.items.length === 0) return deleted;
    const ops = page.items.map((d) => ({ kind: 'delete' as const, id: d.id, partitionKey: sampleId }));
    deleted += await runItemOps(container, ops, `svCalls of sample ${sampleId}`);
  }
}

/**
 * One page of a sample's SV calls of one run, in genome order (sortKey),
 * filtered as shared/svQuery.ts builds the query. The continuation token and
 * page size default to those in `filters`.
 */
export async function querySvCalls(
  sampleId: string,
  runId: string,
  filters: SvFilters,
  continuationToken: string | undefined = filters.continuationToken,
  pageSize: number = filters.pageSize,
  settings?: Settings,
): Promise<Page<SvDocument>> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RequestError('pageSize', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return queryPage<SvDocument>(getContainers(settings).svCalls, buildSvQuery(sampleId, runId, filters), {
    partitionKey: sampleId,
    maxItemCount: pageSize,
    ...(continuationToken ? { continuationToken } : {}),
  });
}
