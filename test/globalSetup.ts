/**
 * Jest global setup: starts Azurite and the Cosmos API server on free ports
 * in a temporary directory, once per run. Global setup runs outside the test
 * contexts, so the services' env goes to a JSON file in os.tmpdir() that
 * test/setupEnv.ts loads into each test file's process.env.
 *
 * If the services cannot start, this throws and the whole run FAILS: tests
 * that need them are never skipped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findFreePort, startLocalServices } from '../functions/local/services';
import type { LocalServices } from '../functions/local/services';

export const ENV_FILE_VARIABLE = 'LAG_TEST_ENV_FILE';

export interface TestServicesState {
  services: LocalServices;
  dataDir: string;
  envFile: string;
}

const STATE_KEY = '__LAG_TEST_SERVICES__';

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await findFreePort());
  return [...ports];
}

export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-test-services-'));
  let services: LocalServices | undefined;
  let lastError: unknown;
  // A free port can be taken by someone else before Azurite binds it: retry with new ports.
  for (let attempt = 1; attempt <= 3 && !services; attempt += 1) {
    const [blobPort, queuePort, tablePort, cosmosPort] = await distinctFreePorts(4);
    try {
      services = await startLocalServices({ dataDir, blobPort, queuePort, tablePort, cosmosPort });
    } catch (e) {
      lastError = e;
      if (!/already in use/.test((e as Error).message)) break;
    }
  }
  if (!services) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(
      `test/globalSetup.ts: could not start the local services (Azurite, Cosmos DB server): ${(lastError as Error).message}`,
    );
  }
  const envFile = path.join(os.tmpdir(), `lag-test-env-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(envFile, JSON.stringify(services.env, null, 2));
  // Workers are forked after global setup and inherit this variable.
  process.env[ENV_FILE_VARIABLE] = envFile;
  const state: TestServicesState = { services, dataDir, envFile };
  (globalThis as Record<string, unknown>)[STATE_KEY] = state;
}

/** The state globalSetup left for globalTeardown (same process and context). */
export function takeTestServicesState(): TestServicesState | undefined {
  const g = globalThis as Record<string, unknown>;
  const state = g[STATE_KEY] as TestServicesState | undefined;
  delete g[STATE_KEY];
  return state;
}
