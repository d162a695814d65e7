/**
 * Blob and Cosmos DB adapters against the local services started by
 * test/globalSetup.ts (Azurite and @vercel/cosmosdb-server). Each test uses
 * its own container / sample names.
 */
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import {
  BlobRangeFilehandle,
  blobExists,
  deleteBlob,
  downloadBuffer,
  downloadJson,
  ensureContainers,
  getBlobClient,
  getBlobProperties,
  getContainerClient,
  mapStorageError,
  uploadBuffer,
  uploadJson,
} from '../../functions/adapters/blobs';
import {
  deleteSvCallsNotInRun,
  ensureCosmos,
  getContainers,
  getCosmos,
  listSamples,
  mapCosmosError,
  queryPage,
  querySvCalls,
  readSample,
  upsertSample,
  upsertSvCalls,
} from '../../functions/adapters/cosmos';
import { loadSettings, settingNames } from '../../functions/adapters/settings';
import { findFreePort, generateSelfSignedCertificate, startLocalServices } from '../../functions/local/services';
import { CONTAINERS } from '../../shared/contracts';
import type { SampleDocument, SvCall, SvDocument, SvType } from '../../shared/contracts';
import { toSvDocument } from '../../shared/sampleRecord';
import { DEFAULT_PAGE_SIZE } from '../../shared/svQuery';
import type { SvFilters } from '../../shared/svQuery';
import {
  ConflictError,
  DependencyError,
  InputError,
  InternalError,
  NotFoundError,
  RequestError,
  asLagError,
} from '../../shared/errors';

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function newContainer(): Promise<string> {
  const name = unique('t');
  await getContainerClient(name).create();
  return name;
}

describe('settings', () => {
  test('local mode reads the env the local services returned', () => {
    const s = loadSettings();
    expect(s.mode).toBe('local');
    expect(s.storage.auth).toBe('connectionString');
    expect(s.cosmos.auth).toBe('key');
    if (s.cosmos.auth === 'key') expect(s.cosmos.caCertFile).toBeTruthy();
  });

  test('azure mode names every missing setting', () => {
    expect(() => loadSettings({})).toThrow(/GENOMES_STORAGE__blobServiceUri.*GENOMES_STORAGE__queueServiceUri.*COSMOS__accountEndpoint/);
    const s = loadSettings({
      GENOMES_STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net/',
      GENOMES_STORAGE__queueServiceUri: 'https://acct.queue.core.windows.net',
      COSMOS__accountEndpoint: 'https://acct.documents.azure.com:443/',
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
    });
    expect(s).toEqual({
      mode: 'azure',
      storage: {
        auth: 'identity',
        blobServiceUri: 'https://acct.blob.core.windows.net',
        queueServiceUri: 'https://acct.queue.core.windows.net',
      },
      cosmos: { auth: 'identity', endpoint: 'https://acct.documents.azure.com:443' },
      managedIdentityClientId: '00000000-0000-0000-0000-000000000001',
    });
    expect(settingNames('azure')).toEqual([
      'GENOMES_STORAGE__blobServiceUri',
      'GENOMES_STORAGE__queueServiceUri',
      'COSMOS__accountEndpoint',
      'AZURE_CLIENT_ID',
    ]);
  });
});

describe('blobs', () => {
  test('ensureContainers creates genomes and results', async () => {
    await ensureContainers();
    await ensureContainers(); // idempotent
    expect(await getContainerClient(CONTAINERS.genomes).exists()).toBe(true);
    expect(await getContainerClient(CONTAINERS.results).exists()).toBe(true);
  });

  test('JSON and buffer round trips, properties, existence, 404', async () => {
    const c = await newContainer();
    const v = await uploadJson(c, 'a/b.json', { hello: 'world', n: [1, 2] });
    expect(v.etag).toBeTruthy();
    expect(await downloadJson<{ hello: string }>(c, 'a/b.json')).toEqual({ hello: 'world', n: [1, 2] });
    const props = await getBlobProperties(c, 'a/b.json');
    expect(props.etag).toBe(v.etag);
    expect(props.contentLength).toBe(Buffer.byteLength(JSON.stringify({ hello: 'world', n: [1, 2] })));
    expect(await blobExists(c, 'a/b.json')).toBe(true);
    expect(await blobExists(c, 'missing.json')).toBe(false);

    const bytes = randomBytes(1000);
    await uploadBuffer(c, 'x.bin', bytes, 'application/octet-stream');
    expect(Buffer.compare(await downloadBuffer(c, 'x.bin'), bytes)).toBe(0);

    await expect(downloadJson(c, 'missing.json')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getBlobProperties(c, 'missing.json')).rejects.toBeInstanceOf(NotFoundError);
    expect(await deleteBlob(c, 'x.bin')).toBe(true);
    expect(await deleteBlob(c, 'x.bin')).toBe(false);
  });

  test('BlobRangeFilehandle downloads exactly the ranges asked', async () => {
    const c = await newContainer();
    const data = randomBytes(1 << 20);
    const { etag } = await uploadBuffer(c, 'sample.bam', data, 'application/octet-stream');
    const fh = BlobRangeFilehandle.fromRef({ container: c, name: 'sample.bam', etag });

    expect(await fh.stat()).toEqual({ size: data.length });
    const ranges: [number, number][] = [
      [100, 0],
      [5000, 12345],
      [65536, 300000],
      [1, data.length - 1],
    ];
    let expected = 0;
    for (const [length, position] of ranges) {
      const got = await fh.read(length, position);
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Buffer.compare(Buffer.from(got), data.subarray(position, position + length))).toBe(0);
      expected += length;
    }
    expect(fh.requests).toBe(ranges.length);
    expect(fh.bytesRead).toBe(expected);

    // Clamped to the blob's end; nothing at or past the end, and no request for it.
    const tail = await fh.read(100, data.length - 10);
    expect(Buffer.compare(Buffer.from(tail), data.subarray(data.length - 10))).toBe(0);
    expect((await fh.read(100, data.length)).length).toBe(0);
    expect((await fh.read(0, 10)).length).toBe(0);
    expect(fh.requests).toBe(ranges.length + 1);
    expect(fh.bytesRead).toBe(expected + 10);
    expect(fh.statRequests).toBe(1);

    // readFile is the only whole-blob download.
    const whole = await fh.readFile();
    expect(Buffer.compare(Buffer.from(whole), data)).toBe(0);
    expect(fh.requests).toBe(ranges.length + 2);
    expect(fh.bytesRead).toBe(expected + 10 + data.length);
    await fh.close();
  });

  test('BlobRangeFilehandle rejects with GENOME_CHANGED once the blob is overwritten', async () => {
    const c = await newContainer();
    const first = randomBytes(4096);
    const { etag } = await uploadBuffer(c, 'sample.bam', first, 'application/octet-stream');
    const fh = new BlobRangeFilehandle(getBlobClient(c, 'sample.bam'), { etag });
    expect(Buffer.compare(Buffer.from(await fh.read(16, 0)), first.subarray(0, 16))).toBe(0);

    await uploadBuffer(c, 'sample.bam', randomBytes(4096), 'application/octet-stream');
    const err = await fh.read(16, 100).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'GENOME_CHANGED', retryable: false });
    expect((err as Error).message).toMatch(/overwritten/);
    expect((err as Error).message).toMatch(/new analysis starts for the new upload/);

    // A fresh handle (stat() included) on the old ETag fails the same way.
    const stale = new BlobRangeFilehandle(getBlobClient(c, 'sample.bam'), { etag });
    await expect(stale.stat()).rejects.toMatchObject({ code: 'GENOME_CHANGED' });
  });

  test('BlobRangeFilehandle rejects with GENOME_DELETED once the blob is deleted', async () => {
    const c = await newContainer();
    const { etag } = await uploadBuffer(c, 'sample.bam', randomBytes(1024), 'application/octet-stream');
    const fh = new BlobRangeFilehandle(getBlobClient(c, 'sample.bam'), { etag }, { size: 1024 });
    await deleteBlob(c, 'sample.bam');
    await expect(fh.read(10, 0)).rejects.toMatchObject({ code: 'GENOME_DELETED', fault: 'input' });
  });
});

function sampleDoc(sampleId: string, updatedAt: string): SampleDocument {
  return {
    id: sampleId,
    sampleId,
    revision: 1,
    prescreen: null,
    runId: 'run-1',
    status: 'running',
    stage: 'profile',
    progress: { done: 0, total: 10 },
    genome: {
      bam: { container: 'genomes', name: `${sampleId}.bam`, etag: '"0x1"' },
      bai: { container: 'genomes', name: `${sampleId}.bam.bai`, etag: '"0x2"' },
    },
    build: 'GRCh38',
    library: null,
    countsByType: {},
    totalCalls: 0,
    warnings: [],
    error: null,
    timings: { queuedAt: updatedAt, startedAt: null, finishedAt: null, seconds: null },
    results: null,
    updatedAt,
  };
}

const TYPES: SvType[] = ['DEL', 'DUP', 'INV'];

/** Call i: chromosome `chrom`, starts at 1000*(i+1), 500 bp, types cycling DEL, DUP, INV. */
function svDoc(sampleId: string, runId: string, i: number, chrom = 'chr1'): SvDocument {
  const start = 1000 * (i + 1);
  const call: SvCall = {
    id: `c${String(i).padStart(4, '0')}`,
    chrom,
    start,
    end: start + 500,
    type: TYPES[i % TYPES.length] ?? 'DEL',
    svlen: 500,
    ciPos: [-10, 10],
    ciEnd: [-10, 10],
    precise: false,
    genotype: '0/1',
    genotypeQuality: 30,
    pairedEnd: 5,
    splitReads: 2,
    depthFoldChange: 0.5,
    copyNumber: null,
    score: 0.9,
    filter: 'PASS',
  };
  return toSvDocument(sampleId, runId, call);
}

const noFilters = (): SvFilters => ({ passOnly: false, pageSize: DEFAULT_PAGE_SIZE });

describe('cosmos', () => {
  beforeAll(async () => {
    await ensureCosmos();
  });

  test('upsert, read and list samples', async () => {
    const a = unique('sample');
    const b = unique('sample');
    expect(await readSample(a)).toBeUndefined();
    await upsertSample(sampleDoc(a, '2030-01-01T00:00:00.000Z'));
    await upsertSample(sampleDoc(b, '2030-01-02T00:00:00.000Z'));
    await upsertSample({ ...sampleDoc(a, '2030-01-01T00:00:00.000Z'), status: 'completed' });
    const read = await readSample(a);
    expect(read).toEqual({ ...sampleDoc(a, '2030-01-01T00:00:00.000Z'), status: 'completed' });
    expect(read).not.toHaveProperty('_etag');

    const all = await listSamples();
    const ours = all.filter((s) => s.sampleId === a || s.sampleId === b).map((s) => s.sampleId);
    expect(ours).toEqual([b, a]); // most recently updated first
    await expect(upsertSample({ ...sampleDoc(a, 'x'), id: 'other' })).rejects.toBeInstanceOf(InternalError);
  });

  test('querySvCalls pages through 3 pages with continuation tokens', async () => {
    const sampleId = unique('sv');
    const other = unique('sv');
    const docs = Array.from({ length: 25 }, (_, i) => svDoc(sampleId, 'run-1', i, i < 12 ? 'chr2' : 'chr1'));
    expect(await upsertSvCalls(docs)).toBe(25);
    await upsertSvCalls(Array.from({ length: 7 }, (_, i) => svDoc(other, 'run-1', i)));

    const pages: SvDocument[][] = [];
    let token: string | undefined;
    do {
      const page = await querySvCalls(sampleId, 'run-1', noFilters(), token, 10);
      pages.push(page.items);
      token = page.continuationToken;
    } while (token && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const ids = pages.flat().map((d) => d.id);
    // Genome order: chr1 (calls 12..24) before chr2 (calls 0..11), then by start.
    const expectedOrder = [...docs.slice(12), ...docs.slice(0, 12)].map((d) => d.id);
    expect(ids).toEqual(expectedOrder);
    expect(pages.flat().every((d) => d.sampleId === sampleId)).toBe(true);
    expect(pages.flat()[0]).toEqual(docs[12]); // stored as given, without Cosmos system properties

    // Tokens are URL-safe, and only valid with the query they came from.
    const first = await querySvCalls(sampleId, 'run-1', noFilters(), undefined, 10);
    expect(first.continuationToken).toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(
      querySvCalls(sampleId, 'run-1', { ...noFilters(), types: ['DEL'] }, first.continuationToken, 10),
    ).rejects.toMatchObject({ fault: 'request', parameter: 'continuationToken' });
    await expect(querySvCalls(sampleId, 'run-1', noFilters(), 'garbage', 10)).rejects.toBeInstanceOf(RequestError);
  });

  test('querySvCalls filters by region, type and run; deleteSvCallsNotInRun', async () => {
    const sampleId = unique('sv');
    await upsertSvCalls(Array.from({ length: 12 }, (_, i) => svDoc(sampleId, 'run-1', i)));
    await upsertSvCalls(Array.from({ length: 3 }, (_, i) => svDoc(sampleId, 'run-2', i)));

    // [start, end) overlap: calls start at 1000*(i+1) and are 500 long.
    const region = await querySvCalls(sampleId, 'run-1', { ...noFilters(), region: { chromosome: '1', start: 2400, end: 5000 } });
    expect(region.items.map((d) => d.start)).toEqual([2000, 3000, 4000]);
    expect(region.continuationToken).toBeUndefined();

    const dels = await querySvCalls(sampleId, 'run-1', { ...noFilters(), types: ['DEL'] });
    expect(dels.items.map((d) => d.callId)).toEqual(['c0000', 'c0003', 'c0006', 'c0009']);

    const run2 = await querySvCalls(sampleId, 'run-2', noFilters());
    expect(run2.items).toHaveLength(3);

    expect(await deleteSvCallsNotInRun(sampleId, 'run-2')).toBe(12);
    expect((await querySvCalls(sampleId, 'run-1', noFilters())).items).toHaveLength(0);
    expect((await querySvCalls(sampleId, 'run-2', noFilters())).items).toHaveLength(3);
    expect(await deleteSvCallsNotInRun(sampleId, 'run-2')).toBe(0);
  });

  test('many SV documents go through the bulk executor', async () => {
    const sampleId = unique('sv');
    const docs = Array.from({ length: 150 }, (_, i) => svDoc(sampleId, 'run-1', i));
    expect(await upsertSvCalls(docs)).toBe(150);
    expect(await upsertSvCalls(docs)).toBe(150); // idempotent
    const page = await querySvCalls(sampleId, 'run-1', noFilters(), undefined, 1000);
    expect(page.items.map((d) => d.id)).toEqual(docs.map((d) => d.id));
    expect(await deleteSvCallsNotInRun(sampleId, 'run-2')).toBe(150);
    expect((await querySvCalls(sampleId, 'run-1', noFilters())).items).toHaveLength(0);
  });

  test('a parameterised query filtering by sampleId returns only that sample', async () => {
    const a = unique('sv');
    const b = unique('sv');
    await upsertSvCalls(Array.from({ length: 4 }, (_, i) => svDoc(a, 'run-1', i)));
    await upsertSvCalls(Array.from({ length: 6 }, (_, i) => svDoc(b, 'run-1', i)));
    const { svCalls } = getContainers();
    const page = await queryPage<SvDocument>(
      svCalls,
      { query: 'SELECT * FROM c WHERE c.sampleId = @sampleId ORDER BY c.start', parameters: [{ name: '@sampleId', value: a }] },
      { partitionKey: a, maxItemCount: 100 },
    );
    expect(page.items).toHaveLength(4);
    expect(new Set(page.items.map((d) => d.sampleId))).toEqual(new Set([a]));
    expect(page.continuationToken).toBeUndefined();
  });

  test('SDK errors map to LagErrors', async () => {
    const { svCalls } = getContainers();
    const doc = svDoc(unique('sv'), 'run-1', 0);
    await svCalls.items.create(doc);
    const err = await svCalls.items.create(doc).then(
      () => undefined,
      (e: unknown) => mapCosmosError(e, 'svCall'),
    );
    expect(err).toBeInstanceOf(ConflictError);
    const missing = await svCalls
      .item('nope', doc.sampleId)
      .delete()
      .then(
        () => undefined,
        (e: unknown) => mapCosmosError(e, 'svCall nope'),
      );
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(asLagError(missing).httpStatus).toBe(404);
  });
});

describe('error mapping', () => {
  test('storage errors', () => {
    expect(mapStorageError({ name: 'RestError', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'x')).toBeInstanceOf(DependencyError);
    expect(mapStorageError({ name: 'RestError', statusCode: 503, message: 'busy' }, 'x')).toBeInstanceOf(DependencyError);
    expect(mapStorageError({ name: 'RestError', statusCode: 429, message: 'slow down' }, 'x')).toBeInstanceOf(DependencyError);
    expect(mapStorageError({ name: 'RestError', statusCode: 404, code: 'BlobNotFound' }, 'x')).toBeInstanceOf(NotFoundError);
    expect(mapStorageError({ name: 'RestError', statusCode: 412, code: 'ConditionNotMet' }, 'x')).toBeInstanceOf(ConflictError);
    expect(mapStorageError({ name: 'RestError', statusCode: 400, code: 'InvalidInput' }, 'x')).toBeInstanceOf(InternalError);
    const cause = { name: 'RestError', statusCode: 500 };
    expect(mapStorageError(cause, 'x')).toHaveProperty('cause', cause);
  });

  test('cosmos errors', () => {
    expect(mapCosmosError({ code: 429, message: 'throttled' }, 'x')).toBeInstanceOf(DependencyError);
    expect(mapCosmosError({ code: 'ECONNRESET', message: 'socket hang up' }, 'x')).toBeInstanceOf(DependencyError);
    expect(mapCosmosError({ code: 503 }, 'x')).toBeInstanceOf(DependencyError);
    expect(mapCosmosError({ code: 412 }, 'x')).toBeInstanceOf(ConflictError);
    expect(mapCosmosError({ code: 409 }, 'x')).toBeInstanceOf(ConflictError);
    expect(mapCosmosError({ code: 404 }, 'x')).toBeInstanceOf(NotFoundError);
    expect(mapCosmosError({ code: 400, message: 'bad query' }, 'x')).toBeInstanceOf(InternalError);
  });
});

describe('local services', () => {
  test('the Cosmos client verifies the server certificate on its own agent', async () => {
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    const settings = loadSettings();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-wrong-ca-'));
    try {
      const wrongCa = path.join(dir, 'ca.pem');
      fs.writeFileSync(wrongCa, generateSelfSignedCertificate({ commonName: 'other', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }).certPem);
      if (settings.cosmos.auth !== 'key') throw new Error('expected local settings');
      const client = getCosmos({ ...settings, cosmos: { ...settings.cosmos, caCertFile: wrongCa } });
      const err = await client.databases.readAll().fetchAll().then(
        () => undefined,
        (e: unknown) => mapCosmosError(e, 'databases'),
      );
      expect(err).toBeInstanceOf(DependencyError);
      expect((err as Error).message).toMatch(/certificate|signature/i);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('startLocalServices names a port that is already taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as net.AddressInfo).port;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-taken-'));
    try {
      await expect(
        startLocalServices({
          dataDir,
          blobPort: await findFreePort(),
          queuePort: await findFreePort(),
          tablePort: await findFreePort(),
          cosmosPort: port,
        }),
      ).rejects.toThrow(new RegExp(`Cosmos DB server: port ${port} .*already in use`));
    } finally {
      taken.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
