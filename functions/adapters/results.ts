/** The `results` container: the system of record (VCF, calls, sample records). */
import { CONTAINERS } from '../../shared/contracts';
import { InternalError, isLagError } from '../../shared/errors';
import { downloadBuffer, downloadJson, getContainerClient, mapStorageError, uploadBuffer, uploadJson } from './blobs';

export async function writeResultJson(name: string, value: unknown): Promise<void> {
  await uploadJson(CONTAINERS.results, name, value);
}

export async function writeResultBuffer(name: string, bytes: Uint8Array, contentType: string): Promise<void> {
  await uploadBuffer(CONTAINERS.results, name, bytes, contentType);
}

export function readResultJson<T>(name: string): Promise<T> {
  return downloadJson<T>(CONTAINERS.results, name);
}

export function readResultBuffer(name: string): Promise<Buffer> {
  return downloadBuffer(CONTAINERS.results, name);
}

/** The JSON blob, or undefined when it does not exist. */
export async function tryReadResultJson<T>(name: string): Promise<T | undefined> {
  try {
    return await readResultJson<T>(name);
  } catch (e) {
    if (isLagError(e) && e.fault === 'not-found') return undefined;
    throw e;
  }
}

/** Names of every sample record (`<sampleId>/sample.json`) in the results container. */
export async function listSampleRecordNames(): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const b of getContainerClient(CONTAINERS.results).listBlobsFlat()) {
      if (/^[^/]+\/sample\.json$/.test(b.name)) names.push(b.name);
    }
  } catch (e) {
    throw mapStorageError(e, `container ${CONTAINERS.results}`);
  }
  return names;
}

/** Finished work units of a run, per chromosome (their result blobs are the progress marks). */
export async function countUnitResults(prefix: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  try {
    for await (const b of getContainerClient(CONTAINERS.results).listBlobsFlat({ prefix })) {
      const chromosome = b.name.slice(prefix.length).split('/')[0];
      if (chromosome) counts[chromosome] = (counts[chromosome] ?? 0) + 1;
    }
  } catch (e) {
    throw mapStorageError(e, `container ${CONTAINERS.results}`);
  }
  return counts;
}

/** A JSON blob with the ETag it was read at, or undefined when it does not exist. */
export async function readResultJsonVersioned<T>(name: string): Promise<{ value: T; etag: string } | undefined> {
  const what = `${CONTAINERS.results}/${name}`;
  let r;
  try {
    r = await getContainerClient(CONTAINERS.results).getBlobClient(name).download(0);
  } catch (e) {
    const err = mapStorageError(e, what);
    if (isLagError(err) && err.fault === 'not-found') return undefined;
    throw err;
  }
  const chunks: Buffer[] = [];
  for await (const c of r.readableStreamBody!) chunks.push(c as Buffer);
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T, etag: r.etag ?? '' };
  } catch (e) {
    throw new InternalError('BAD_JSON', `${what} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Writes a JSON blob only if it is still at `etag` (or, without one, does not
 * exist yet); a ConflictError says someone else wrote it first.
 */
export async function writeResultJsonIf(name: string, value: unknown, etag: string | undefined): Promise<void> {
  const text = Buffer.from(JSON.stringify(value), 'utf8');
  try {
    await getContainerClient(CONTAINERS.results)
      .getBlockBlobClient(name)
      .upload(text, text.length, {
        conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      });
  } catch (e) {
    throw mapStorageError(e, `${CONTAINERS.results}/${name}`);
  }
}
