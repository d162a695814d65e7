/**
 * The one module that opens Blob Storage.
 *
 * Every SDK failure leaves this module as a LagError (shared/errors.ts):
 * 404 → NotFoundError, 409/412 → ConflictError, 408/429/5xx/network →
 * DependencyError (retried), anything else → InternalError. The original
 * error is kept as `cause`.
 *
 * BlobRangeFilehandle gives @gmod/bam random access to a BAM/BAI blob pinned
 * to the version seen when the analysis started: it downloads exactly the
 * byte ranges asked for, never the whole blob (except readFile()).
 */
import { BlobServiceClient, StorageRetryPolicyType } from '@azure/storage-blob';
import type { BlobClient, BlobRequestConditions, ContainerClient } from '@azure/storage-blob';
import type { BufferEncoding, FilehandleOptions, GenericFilehandle, Stats } from 'generic-filehandle2';
import { CONTAINERS } from '../../shared/contracts';
import type { BlobRef } from '../../shared/contracts';
import {
  ConflictError,
  DependencyError,
  InputError,
  InternalError,
  LagError,
  NotFoundError,
  isLagError,
} from '../../shared/errors';
import { currentSettings, getCredential } from './settings';
import type { Settings } from './settings';

// ---------------------------------------------------------------------------
// Client

const clients = new Map<string, BlobServiceClient>();

function clientKey(settings: Settings): string {
  const s = settings.storage;
  return s.auth === 'connectionString'
    ? `cs:${s.connectionString}`
    : `id:${s.blobServiceUri}:${settings.managedIdentityClientId ?? ''}`;
}

/** The BlobServiceClient for these settings (default: process.env), cached. */
export function getBlobServiceClient(settings: Settings = currentSettings()): BlobServiceClient {
  const key = clientKey(settings);
  let client = clients.get(key);
  if (!client) {
    const s = settings.storage;
    const pipelineOptions = {
      retryOptions: { retryPolicyType: StorageRetryPolicyType.EXPONENTIAL, maxTries: 4 },
    };
    client =
      s.auth === 'connectionString'
        ? BlobServiceClient.fromConnectionString(s.connectionString, pipelineOptions)
        : new BlobServiceClient(s.blobServiceUri, getCredential(settings), pipelineOptions);
    clients.set(key, client);
  }
  return client;
}

/** Drop cached clients (tests that switch settings). */
export function resetBlobClients(): void {
  clients.clear();
}

export function getContainerClient(container: string, settings?: Settings): ContainerClient {
  return getBlobServiceClient(settings).getContainerClient(container);
}

export function getBlobClient(container: string, name: string, settings?: Settings): BlobClient {
  return getContainerClient(container, settings).getBlobClient(name);
}

// ---------------------------------------------------------------------------
// Errors

interface SdkErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
}

function asSdkError(e: unknown): SdkErrorLike {
  return typeof e === 'object' && e !== null ? (e as SdkErrorLike) : { message: String(e) };
}

/** HTTP status of an SDK error, when the service answered. */
export function statusOf(e: unknown): number | undefined {
  const s = asSdkError(e).statusCode;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Any error from the Storage SDK as a LagError. `what` names the object
 * (e.g. `blob results/x.json`) for the message. LagErrors and aborts pass
 * through unchanged.
 */
export function mapStorageError(e: unknown, what: string): Error {
  if (isLagError(e)) return e;
  const err = asSdkError(e);
  if (err.name === 'AbortError') return e instanceof Error ? e : new Error(String(e));
  const status = statusOf(e);
  const detail = `${err.code ? `${err.code}: ` : ''}${firstLine(err.message)}`;
  if (status === 404) {
    const notFound = new NotFoundError(`${what} does not exist (${detail})`);
    Object.defineProperty(notFound, 'cause', { value: e });
    return notFound;
  }
  if (status === 409 || status === 412) {
    return new ConflictError(
      status === 412 ? 'PRECONDITION_FAILED' : 'STORAGE_CONFLICT',
      `${what}: ${detail}`,
      { cause: e },
    );
  }
  if (status === undefined || status === 401 || status === 403 || status === 408 || status === 429 || status >= 500) {
    // No status: network failure (ECONNREFUSED, reset, timeout). 401/403:
    // identity or role assignment not effective yet, worth a retry.
    return new DependencyError(
      'STORAGE_UNAVAILABLE',
      `Blob Storage failed on ${what}${status ? ` (HTTP ${status})` : ''}: ${detail}`,
      { cause: e },
    );
  }
  return new InternalError('STORAGE_REQUEST_REJECTED', `Blob Storage rejected a request on ${what} (HTTP ${status}): ${detail}`, {
    cause: e,
  });
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]?.trim() ?? '';
}

function describe(container: string, name: string): string {
  return `blob ${container}/${name}`;
}

// ---------------------------------------------------------------------------
// Helpers

export interface BlobVersionInfo {
  etag: string;
  /** Present when the account has blob versioning on (Azure); absent on Azurite. */
  versionId?: string;
}

export interface BlobPropertiesInfo extends BlobVersionInfo {
  contentLength: number;
  contentType?: string;
  lastModified?: Date;
}

/** Creates the genomes and results containers if they do not exist. */
export async function ensureContainers(settings?: Settings): Promise<void> {
  for (const container of [CONTAINERS.genomes, CONTAINERS.results]) {
    try {
      await getContainerClient(container, settings).createIfNotExists();
    } catch (e) {
      throw mapStorageError(e, `container ${container}`);
    }
  }
}

function versionInfo(r: { etag?: string; versionId?: string }, what: string): BlobVersionInfo {
  if (!r.etag) throw new DependencyError('STORAGE_UNAVAILABLE', `Blob Storage returned no ETag for ${what}`);
  return { etag: r.etag, ...(r.versionId ? { versionId: r.versionId } : {}) };
}

export async function uploadBuffer(
  container: string,
  name: string,
  buf: Uint8Array,
  contentType: string,
): Promise<BlobVersionInfo> {
  const what = describe(container, name);
  try {
    const r = await getContainerClient(container)
      .getBlockBlobClient(name)
      .uploadData(buf, { blobHTTPHeaders: { blobContentType: contentType } });
    return versionInfo(r, what);
  } catch (e) {
    throw mapStorageError(e, what);
  }
}

export async function uploadJson(container: string, name: string, obj: unknown): Promise<BlobVersionInfo> {
  const text = JSON.stringify(obj);
  if (text === undefined) throw new InternalError('NOT_JSON', `cannot store ${String(obj)} as JSON in ${describe(container, name)}`);
  return uploadBuffer(container, name, Buffer.from(text, 'utf8'), 'application/json; charset=utf-8');
}

/**
 * The whole blob, in ONE request, so the bytes are one consistent version even
 * while a writer replaces the blob (the SDK's downloadToBuffer reads sized
 * ranges after a properties call and can mix two versions). Throws
 * NotFoundError when it does not exist.
 */
export async function downloadBuffer(
  container: string,
  name: string,
  options: { conditions?: BlobRequestConditions } = {},
): Promise<Buffer> {
  const what = describe(container, name);
  try {
    const r = await getBlobClient(container, name).download(0, undefined, { conditions: options.conditions });
    const chunks: Buffer[] = [];
    for await (const c of r.readableStreamBody!) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  } catch (e) {
    throw mapStorageError(e, what);
  }
}

/** A JSON blob parsed. Throws NotFoundError when it does not exist. */
export async function downloadJson<T>(container: string, name: string): Promise<T> {
  const buf = await downloadBuffer(container, name);
  try {
    return JSON.parse(buf.toString('utf8')) as T;
  } catch (e) {
    throw new InternalError('BAD_JSON', `${describe(container, name)} is not valid JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

export async function blobExists(container: string, name: string): Promise<boolean> {
  try {
    return await getBlobClient(container, name).exists();
  } catch (e) {
    throw mapStorageError(e, describe(container, name));
  }
}

/** ETag, version and size. Throws NotFoundError when the blob does not exist. */
export async function getBlobProperties(container: string, name: string): Promise<BlobPropertiesInfo> {
  const what = describe(container, name);
  try {
    const p = await getBlobClient(container, name).getProperties();
    return {
      ...versionInfo(p, what),
      contentLength: p.contentLength ?? 0,
      ...(p.contentType ? { contentType: p.contentType } : {}),
      ...(p.lastModified ? { lastModified: p.lastModified } : {}),
    };
  } catch (e) {
    throw mapStorageError(e, what);
  }
}

/** Deletes a blob; false when it did not exist. */
export async function deleteBlob(container: string, name: string): Promise<boolean> {
  try {
    const r = await getBlobClient(container, name).deleteIfExists();
    return r.succeeded;
  } catch (e) {
    throw mapStorageError(e, describe(container, name));
  }
}

// ---------------------------------------------------------------------------
// Range file handle

export interface BlobPin {
  /** The ETag seen when the analysis started: every read is `If-Match` it. */
  etag?: string;
  /**
   * The version seen when the analysis started (accounts with versioning).
   * A version is immutable, so reads of it are not made conditional.
   */
  versionId?: string;
}

export interface BlobRangeFilehandleOptions {
  /** Known blob size; saves the properties request of stat(). */
  size?: number;
  /** How the blob is named in messages (default: container/name). */
  label?: string;
}

/**
 * A GenericFilehandle (generic-filehandle2) over one blob, pinned to an ETag
 * and/or a version id. `read(length, position)` downloads exactly
 * [position, min(position + length, size)): one ranged GET per call, no
 * read-ahead, no cache.
 *
 * If the blob is overwritten or deleted while it is read, reads fail with an
 * InputError (GENOME_CHANGED / GENOME_DELETED): not retryable, since the new
 * upload triggers its own analysis.
 */
export class BlobRangeFilehandle implements GenericFilehandle {
  /** Bytes received by read() and readFile(). */
  bytesRead = 0;
  /** Download requests made by read() and readFile() (stat() not counted). */
  requests = 0;
  /** Properties requests made by stat(). */
  statRequests = 0;

  private readonly client: BlobClient;
  private readonly unpinned: BlobClient;
  private readonly conditions: BlobRequestConditions | undefined;
  private readonly label: string;
  private size: number | undefined;
  private statPromise: Promise<Stats> | undefined;

  constructor(blobClient: BlobClient, pin: BlobPin, options: BlobRangeFilehandleOptions = {}) {
    if (!pin.etag && !pin.versionId) {
      throw new InternalError('BLOB_NOT_PINNED', `BlobRangeFilehandle needs an etag or a versionId for ${blobClient.name}`);
    }
    this.unpinned = blobClient;
    this.client = pin.versionId ? blobClient.withVersion(pin.versionId) : blobClient;
    this.conditions = pin.etag && !pin.versionId ? { ifMatch: pin.etag } : undefined;
    this.label = options.label ?? `${blobClient.containerName}/${blobClient.name}`;
    this.size = options.size;
  }

  /** A handle on the blob a BlobRef names (ETag, and version when present). */
  static fromRef(ref: BlobRef, options: BlobRangeFilehandleOptions & { settings?: Settings } = {}): BlobRangeFilehandle {
    const { settings, ...rest } = options;
    return new BlobRangeFilehandle(
      getBlobClient(ref.container, ref.name, settings),
      { etag: ref.etag, ...(ref.versionId ? { versionId: ref.versionId } : {}) },
      rest,
    );
  }

  async stat(): Promise<Stats> {
    if (this.size !== undefined) return { size: this.size };
    this.statPromise ??= (async () => {
      this.statRequests += 1;
      try {
        const p = await this.client.getProperties({ conditions: this.conditions });
        this.size = p.contentLength ?? 0;
        return { size: this.size };
      } catch (e) {
        this.statPromise = undefined;
        throw await this.mapError(e);
      }
    })();
    return this.statPromise;
  }

  async read(length: number, position: number, opts: FilehandleOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    if (!Number.isInteger(position) || position < 0 || !Number.isInteger(length) || length < 0) {
      throw new InternalError('BAD_RANGE', `invalid read of ${this.label}: length ${length} at ${position}`);
    }
    const { size } = await this.stat();
    const end = Math.min(position + length, size);
    // download(offset, 0) would mean "to the end of the blob": never send it.
    if (end <= position) return new Uint8Array(0);
    return this.download(position, end - position, opts.signal);
  }

  readFile(options?: Omit<FilehandleOptions, 'encoding'>): Promise<Uint8Array<ArrayBuffer>>;
  readFile(options: BufferEncoding | (Omit<FilehandleOptions, 'encoding'> & { encoding: BufferEncoding })): Promise<string>;
  async readFile(options?: BufferEncoding | FilehandleOptions): Promise<Uint8Array<ArrayBuffer> | string> {
    const opts: FilehandleOptions = typeof options === 'string' ? { encoding: options } : (options ?? {});
    const { size } = await this.stat();
    const bytes = size > 0 ? await this.download(0, size, opts.signal) : new Uint8Array(0);
    return opts.encoding ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(opts.encoding) : bytes;
  }

  async close(): Promise<void> {
    // Nothing to release: every read is its own HTTP request.
  }

  private async download(offset: number, count: number, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
    this.requests += 1;
    try {
      const r = await this.client.download(offset, count, {
        conditions: this.conditions,
        ...(signal ? { abortSignal: signal } : {}),
      });
      const body = r.readableStreamBody;
      if (!body) throw new DependencyError('STORAGE_UNAVAILABLE', `Blob Storage sent no body for ${this.label}`);
      const out = new Uint8Array(count);
      let filled = 0;
      for await (const chunk of body as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (filled + bytes.byteLength > count) {
          throw new DependencyError(
            'STORAGE_UNAVAILABLE',
            `Blob Storage sent more than the ${count} bytes asked at ${offset} of ${this.label}`,
          );
        }
        out.set(bytes, filled);
        filled += bytes.byteLength;
      }
      this.bytesRead += filled;
      if (filled !== count) {
        throw new DependencyError(
          'STORAGE_UNAVAILABLE',
          `Blob Storage sent ${filled} of the ${count} bytes asked at ${offset} of ${this.label}`,
        );
      }
      return out;
    } catch (e) {
      throw await this.mapError(e);
    }
  }

  private async mapError(e: unknown): Promise<Error> {
    if (e instanceof LagError) return e;
    let status = statusOf(e);
    if (status === 412) {
      // If-Match also fails when the blob is gone (Azurite answers 412): tell the two apart.
      const exists = await this.unpinned.exists().catch(() => true);
      if (!exists) status = 404;
    }
    if (status === 412) {
      return new InputError(
        'GENOME_CHANGED',
        `The BAM upload (${this.label}) was overwritten while it was being analysed, so this analysis ` +
          'stopped; a new analysis starts for the new upload.',
        { cause: e },
      );
    }
    if (status === 404) {
      return new InputError(
        'GENOME_DELETED',
        `${this.label} was deleted during the analysis, so this analysis stopped; upload the genome again to analyse it.`,
        { cause: e },
      );
    }
    return mapStorageError(e, `blob ${this.label}`);
  }
}
