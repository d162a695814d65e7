/**
 * Local stand-ins for the Azure services, for `npm start` and for tests:
 * - Azurite (blob + queue + table) as a child process, on 127.0.0.1 only;
 * - the Cosmos DB API server (@vercel/cosmosdb-server) as a child process
 *   serving HTTPS with a certificate made here for 127.0.0.1/localhost, so
 *   the Cosmos client verifies it through COSMOS_CA_CERT_FILE.
 *
 * `startLocalServices()` waits until both answer and returns the environment
 * (functions/adapters/settings.ts local mode) that points the code at them.
 * The Cosmos server keeps its data in memory: it is empty after every start.
 */
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';
import { COSMOS_EMULATOR_KEY, SETTING, azuriteConnectionString } from '../adapters/settings';

const HOST = '127.0.0.1';

export interface LocalServicesOptions {
  /** Azurite's workspace and the Cosmos server's certificate go here. */
  dataDir: string;
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  cosmosPort?: number;
  /** How long to wait for each service to answer (default 30 s). */
  startTimeoutMs?: number;
  /** Forward the services' output to this process's stderr (default: only on failure). */
  verbose?: boolean;
}

export interface LocalServices {
  /** Settings for local mode: LAG_LOCAL, GENOMES_STORAGE_CONNECTION_STRING, COSMOS_ENDPOINT, COSMOS_KEY, COSMOS_CA_CERT_FILE. */
  env: Record<string, string>;
  ports: { blob: number; queue: number; table: number; cosmos: number };
  stop(): Promise<void>;
}

export const DEFAULT_PORTS = { blob: 10000, queue: 10001, table: 10002, cosmos: 8081 } as const;

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** Rejects with a clear message when `port` is already taken on 127.0.0.1. */
function assertPortFree(port: number, service: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `${service}: port ${port} on ${HOST} is already in use (another Azurite or Cosmos server running?); choose another port`
            : `${service}: cannot listen on ${HOST}:${port}: ${e.message}`,
        ),
      );
    });
    server.listen(port, HOST, () => server.close(() => resolve()));
  });
}

// ---------------------------------------------------------------------------
// Child processes

class Child {
  private output = '';
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    verbose: boolean,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-8000);
      if (verbose) process.stderr.write(`[${name}] ${chunk.toString('utf8')}`);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
      proc.once('error', (e) => {
        this.output += `\n${e.message}`;
        this.exitCode = -1;
        resolve(-1);
      });
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  tail(): string {
    return this.output.trim().split('\n').slice(-15).join('\n');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) this.proc.kill('SIGKILL');
    }, 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

const live = new Set<Child>();
let exitHookInstalled = false;

function track(child: Child): void {
  live.add(child);
  void child.exited.then(() => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Do not leave orphans behind if the parent exits without stop().
    process.once('exit', () => {
      for (const c of live) if (c.running) c.proc.kill('SIGKILL');
    });
  }
}

function requestOnce(url: string, ca?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, { method: 'GET', timeout: 2000, ...(ca ? { ca } : {}), agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end();
  });
}

/** Waits until `url` answers any HTTP status, or fails naming the service and port. */
async function waitUntilAnswering(child: Child, url: string, port: number, timeoutMs: number, ca?: Buffer): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!child.running) {
      throw new Error(`${child.name} exited before answering on ${HOST}:${port}:\n${child.tail()}`);
    }
    try {
      await requestOnce(url, ca);
      return;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(
    `${child.name} did not answer on ${HOST}:${port} within ${Math.round(timeoutMs / 1000)} s (last error: ${lastError}):\n${child.tail()}`,
  );
}

function startAzurite(dataDir: string, ports: LocalServices['ports'], verbose: boolean): Child {
  const entry = require.resolve('azurite/dist/src/azurite.js');
  const location = path.join(dataDir, 'azurite');
  fs.mkdirSync(location, { recursive: true });
  const args = [
    entry,
    '--location', location,
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableTelemetry',
    '--blobHost', HOST, '--blobPort', String(ports.blob),
    '--queueHost', HOST, '--queuePort', String(ports.queue),
    '--tableHost', HOST, '--tablePort', String(ports.table),
  ];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: location });
  const child = new Child('Azurite', proc, verbose);
  track(child);
  return child;
}

/** Runs in the Cosmos child process: the server with our certificate, on 127.0.0.1 only. */
const COSMOS_LAUNCHER = `
const fs = require('fs');
const { createHttpsServer } = require(process.env.LAG_COSMOS_SERVER_MODULE);
const port = Number(process.env.LAG_COSMOS_PORT);
const server = createHttpsServer({
  cert: fs.readFileSync(process.env.LAG_COSMOS_CERT_FILE),
  key: fs.readFileSync(process.env.LAG_COSMOS_KEY_FILE),
});
server.on('error', (e) => { console.error('cosmos server error: ' + (e.code || '') + ' ' + e.message); process.exit(2); });
server.listen(port, '${HOST}', () => console.log('cosmos server listening on ${HOST}:' + port));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
`;

function startCosmos(port: number, certFile: string, keyFile: string, verbose: boolean): Child {
  const proc = spawn(process.execPath, ['-e', COSMOS_LAUNCHER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LAG_COSMOS_SERVER_MODULE: require.resolve('@vercel/cosmosdb-server'),
      LAG_COSMOS_PORT: String(port),
      LAG_COSMOS_CERT_FILE: certFile,
      LAG_COSMOS_KEY_FILE: keyFile,
    },
  });
  const child = new Child('Cosmos DB server', proc, verbose);
  track(child);
  return child;
}

/**
 * Starts Azurite and the Cosmos API server and waits until both answer.
 * Fails, after stopping whatever it started, with an error naming the port
 * when one is taken or a service does not answer within 30 s.
 */
export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const ports = {
    blob: options.blobPort ?? DEFAULT_PORTS.blob,
    queue: options.queuePort ?? DEFAULT_PORTS.queue,
    table: options.tablePort ?? DEFAULT_PORTS.table,
    cosmos: options.cosmosPort ?? DEFAULT_PORTS.cosmos,
  };
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const verbose = options.verbose ?? false;
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });

  await assertPortFree(ports.blob, 'Azurite blob service');
  await assertPortFree(ports.queue, 'Azurite queue service');
  await assertPortFree(ports.table, 'Azurite table service');
  await assertPortFree(ports.cosmos, 'Cosmos DB server');

  const tlsDir = path.join(dataDir, 'cosmos-tls');
  fs.mkdirSync(tlsDir, { recursive: true });
  const { certPem, keyPem } = generateSelfSignedCertificate({ commonName: 'LAG local Cosmos DB server', dnsNames: ['localhost'], ipAddresses: [HOST] });
  const certFile = path.join(tlsDir, 'cert.pem');
  const keyFile = path.join(tlsDir, 'key.pem');
  fs.writeFileSync(certFile, certPem);
  fs.writeFileSync(keyFile, keyPem, { mode: 0o600 });

  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
  };
  try {
    const azurite = startAzurite(dataDir, ports, verbose);
    children.push(azurite);
    const cosmos = startCosmos(ports.cosmos, certFile, keyFile, verbose);
    children.push(cosmos);
    const ca = Buffer.from(certPem);
    await Promise.all([
      waitUntilAnswering(azurite, `http://${HOST}:${ports.blob}/devstoreaccount1?comp=list`, ports.blob, timeoutMs),
      waitUntilAnswering(azurite, `http://${HOST}:${ports.queue}/devstoreaccount1?comp=list`, ports.queue, timeoutMs),
      waitUntilAnswering(azurite, `http://${HOST}:${ports.table}/devstoreaccount1/Tables`, ports.table, timeoutMs),
      waitUntilAnswering(cosmos, `https://${HOST}:${ports.cosmos}/`, ports.cosmos, timeoutMs, ca),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }

  const env: Record<string, string> = {
    [SETTING.local]: '1',
    [SETTING.storageConnectionString]: azuriteConnectionString({
      blobPort: ports.blob,
      queuePort: ports.queue,
      tablePort: ports.table,
      host: HOST,
    }),
    [SETTING.cosmosEndpoint]: `https://${HOST}:${ports.cosmos}`,
    [SETTING.cosmosKey]: COSMOS_EMULATOR_KEY,
    [SETTING.cosmosCaCertFile]: certFile,
  };
  return { env, ports, stop };
}

// ---------------------------------------------------------------------------
// A self-signed certificate (ECDSA P-256, SHA-256), DER-encoded by hand so the
// local setup needs neither openssl nor an extra package.

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);

function derInteger(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && ((b[1] ?? 0) & 0x80) === 0) b = b.subarray(1);
  if (((b[0] ?? 0) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function derOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = parts;
  const out: number[] = [40 * a + b];
  for (const p of rest) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function derUtcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

function derName(commonName: string): Buffer {
  return seq(set(seq(derOid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return seq(derOid(oid), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  throw new Error(`only IPv4 addresses are supported in the local certificate, not ${ip}`);
}

/**
 * A self-signed server certificate for the given names, valid from a day ago
 * for a year. The certificate is its own CA: trust it with `https.Agent({ ca })`.
 */
export function generateSelfSignedCertificate(options: {
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
}): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const signatureAlgorithm = seq(derOid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const now = Date.now();
  const notBefore = new Date(now - 24 * 3600 * 1000);
  const notAfter = new Date(now + 365 * 24 * 3600 * 1000);
  const name = derName(options.commonName);
  const san = seq(
    ...options.dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
    ...options.ipAddresses.map((ip) => tlv(0x87, ipBytes(ip))),
  );
  const extensions = seq(
    extension('2.5.29.19', true, seq(tlv(0x01, Buffer.from([0xff])))), // basicConstraints: CA (it is its own issuer)
    extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x02, 0x84]))), // keyUsage: digitalSignature, keyCertSign
    extension('2.5.29.37', false, seq(derOid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
    extension('2.5.29.17', false, san), // subjectAltName
  );
  const tbs = seq(
    tlv(0xa0, derInteger(Buffer.from([2]))), // v3
    derInteger(serial),
    signatureAlgorithm,
    name,
    seq(derUtcTime(notBefore), derUtcTime(notAfter)),
    name,
    spki,
    tlv(0xa3, extensions),
  );
  const signature = crypto.sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, signatureAlgorithm, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  const certPem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certPem, keyPem };
}

// ---------------------------------------------------------------------------
// `node dist/functions/local/services.js [dataDir]`: start the services on the
// default ports, print their env as JSON, stop on Ctrl-C.

if (require.main === module) {
  const dataDir = process.argv[2] ?? path.join(process.cwd(), '.lag', 'services');
  startLocalServices({ dataDir }).then(
    (services) => {
      process.stdout.write(`${JSON.stringify(services.env, null, 2)}\n`);
      const stop = () => void services.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
