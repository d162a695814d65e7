/**
 * `npm start`: the whole LAG stack on this machine, with the same function
 * code as Azure. Data persists in .lag/ (Azurite's files); the query index is
 * rebuilt from them at every start. On the first start the bundled example
 * genome is uploaded, so there is something to query.
 *
 * Environment: PORT (default 7071), LAG_DATA_DIR (default ./.lag),
 * LAG_NO_EXAMPLE=1 to skip the example, and the analysis settings of
 * shared/analysisSettings.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTAINERS } from '../../shared/contracts';
import { listBlobs, uploadGenomeFile } from '../adapters/genomes';
import { listSampleRecordNames } from '../adapters/results';
import { startLocalStack } from './stack';

/** The directory holding package.json, whether this runs from dist/ or from source. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'host.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no LAG checkout (package.json + host.json) above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
export const EXAMPLE_BAM = path.join(PROJECT_ROOT, 'test', 'data', 'example', 'example.bam');

export function dataDirFromEnv(): string {
  return path.resolve(process.env.LAG_DATA_DIR ?? path.join(PROJECT_ROOT, '.lag'));
}

export function portFromEnv(): number {
  const raw = process.env.PORT ?? '7071';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT='${raw}' is not a TCP port number`);
  return port;
}

async function uploadExampleIfEmpty(log: (line: string) => void): Promise<void> {
  if ((await listBlobs(CONTAINERS.genomes)).length > 0 || (await listSampleRecordNames()).length > 0) return;
  if (!fs.existsSync(EXAMPLE_BAM)) throw new Error(`the example genome ${EXAMPLE_BAM} is missing from this checkout`);
  log('first start: uploading the example genome (test/data/example/example.bam) so there is something to query');
  await uploadGenomeFile(`${EXAMPLE_BAM}.bai`, 'example.bam.bai');
  await uploadGenomeFile(EXAMPLE_BAM, 'example.bam');
}

async function main(): Promise<void> {
  const log = (line: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const stack = await startLocalStack({ dataDir: dataDirFromEnv(), port: portFromEnv(), log });
  if (process.env.LAG_NO_EXAMPLE !== '1') await uploadExampleIfEmpty(log);
  console.log(`
LAG is running locally.
  API:      ${stack.url}/api/samples
  OpenAPI:  ${stack.url}/api/openapi.json
  Upload:   npm run analyze -- path/to/sample.bam   (or put sample.bam + sample.bam.bai in the Azurite container 'genomes')
  Data:     ${dataDirFromEnv()}
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
