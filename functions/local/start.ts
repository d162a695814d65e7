/**
 * `npm start`: the whole LAG stack on this machine, with the same function
 * code as Azure. Data persists in .lag/ (Azurite's files); the query index is
 * rebuilt from them at every start. On the first start the bundled example
 * genome is uploaded, so there is something to query.
 *
 * Environment: PORT (default 7071), LAG_DATA_DIR (default ./.lag),
 * LAG_NO_EXAMPLE=1 to skip the example, the analysis settings of
 * shared/analysisSettings.ts, and the development identity of requests that
 * send none: LAG_DEV_USER (default `developer`; `none`: no identity, every
 * request must send x-lag-dev-user) and LAG_DEV_ROLES (default
 * `biologist,admin`). Local mode only: Azure takes identities from Entra ID.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTAINERS } from '../../shared/contracts';
import { listBlobs, uploadGenomeFile } from '../adapters/genomes';
import { listSampleRecordNames } from '../adapters/results';
import { NO_DEV_USER, SETTING } from '../adapters/settings';
import { packageRoot } from '../../shared/packageRoot';
import { startLocalStack } from './stack';

export const PROJECT_ROOT = packageRoot();
export const EXAMPLE_BAM = path.join(PROJECT_ROOT, 'test', 'data', 'example', 'example.bam');
export const EXAMPLE_GRCH37_BAM = path.join(PROJECT_ROOT, 'test', 'data', 'example-grch37', 'example-grch37.bam');

export function dataDirFromEnv(): string {
  return path.resolve(process.env.LAG_DATA_DIR ?? path.join(PROJECT_ROOT, '.lag'));
}

export function portFromEnv(): number {
  const raw = process.env.PORT ?? '7071';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT='${raw}' is not a TCP port number`);
  return port;
}

export const DEFAULT_DEV_IDENTITY = { user: 'developer', roles: 'biologist,admin' } as const;

/** Sets the default development identity when LAG_DEV_USER is not set; returns a line that says which one is active. */
export function applyDevIdentityDefault(env: NodeJS.ProcessEnv = process.env): string {
  if (env[SETTING.devUser] === undefined) {
    env[SETTING.devUser] = DEFAULT_DEV_IDENTITY.user;
    env[SETTING.devRoles] ??= DEFAULT_DEV_IDENTITY.roles;
  }
  const user = env[SETTING.devUser]!.trim();
  if (!user || user.toLowerCase() === NO_DEV_USER) {
    return `none (${SETTING.devUser}=${NO_DEV_USER}): every request must send x-lag-dev-user and x-lag-dev-roles`;
  }
  return `${user}, roles ${env[SETTING.devRoles]?.trim() || '(none)'} (${SETTING.devUser}, ${SETTING.devRoles}; a request may send x-lag-dev-user / x-lag-dev-roles instead)`;
}

async function uploadExampleIfEmpty(log: (line: string) => void): Promise<void> {
  if ((await listBlobs(CONTAINERS.genomes)).length > 0 || (await listSampleRecordNames()).length > 0) return;
  for (const bam of [EXAMPLE_BAM, EXAMPLE_GRCH37_BAM]) {
    if (!fs.existsSync(bam)) throw new Error(`the example genome ${bam} is missing from this checkout`);
  }
  log('first start: uploading the example genome (test/data/example/example.bam) so there is something to query');
  await uploadGenomeFile(`${EXAMPLE_BAM}.bai`, 'example.bam.bai');
  await uploadGenomeFile(EXAMPLE_BAM, 'example.bam');
  // The same reads on real GRCh37 coordinates: a known build, so its SVs carry genes, cytobands and ISCN.
  log('  and the same reads placed on GRCh37 chromosome 20 (test/data/example-grch37), to browse annotated SVs');
  await uploadGenomeFile(`${EXAMPLE_GRCH37_BAM}.bai`, 'example-grch37.bam.bai');
  await uploadGenomeFile(EXAMPLE_GRCH37_BAM, 'example-grch37.bam');
}

async function main(): Promise<void> {
  const log = (line: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const identity = applyDevIdentityDefault();
  const stack = await startLocalStack({ dataDir: dataDirFromEnv(), port: portFromEnv(), log });
  if (process.env.LAG_NO_EXAMPLE !== '1') await uploadExampleIfEmpty(log);
  console.log(`
LAG is running locally.
  Workspace: ${stack.url}/   (open it in a browser)
  API:      ${stack.url}/api/samples
  OpenAPI:  ${stack.url}/api/openapi.json
  Upload:   npm run analyze -- path/to/sample.bam   (or put sample.bam + sample.bam.bai in the Azurite container 'genomes')
  Data:     ${dataDirFromEnv()}
  Identity: ${identity}
Press Ctrl+C to stop.
`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    stack.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`LAG could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
