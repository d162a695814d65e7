/**
 * The whole local stack in one process: Azurite and the Cosmos API server,
 * the query index rebuilt from the results container, the durable runner,
 * the HTTP API on http://127.0.0.1:<port>/api, and the genome watcher.
 */
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ensureContainers, resetBlobClients } from '../adapters/blobs';
import { ensureCosmos, resetCosmosClients } from '../adapters/cosmos';
import { rebuildProjection } from '../adapters/projection';
import { resetSettingsCache } from '../adapters/settings';
import { LocalDurableRunner } from './durableRunner';
import { loadFunctions } from './loadFunctions';
import { createLocalServer } from './server';
import { type LocalServicesOptions, startLocalServices } from './services';
import { GenomeWatcher } from './watcher';

export interface LocalStackOptions {
  dataDir: string;
  /** HTTP port; 0 picks a free one. */
  port: number;
  services?: Omit<LocalServicesOptions, 'dataDir'>;
  /** Use services already running with this env (tests) instead of starting them. */
  servicesEnv?: Record<string, string>;
  log?: (line: string) => void;
  watchIntervalMs?: number;
  maxConcurrentActivities?: number;
}

export interface LocalStack {
  url: string;
  port: number;
  env: Record<string, string>;
  runner: LocalDurableRunner;
  watcher: GenomeWatcher;
  stop(): Promise<void>;
}

/** Where `npm start` records the running stack, for `npm run analyze`. */
export function stackFile(dataDir: string): string {
  return path.join(dataDir, 'stack.json');
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  loadFunctions();
  fs.mkdirSync(options.dataDir, { recursive: true });
  const services = options.servicesEnv
    ? { env: options.servicesEnv, stop: async () => undefined }
    : await startLocalServices({ dataDir: options.dataDir, ...options.services });
  try {
    Object.assign(process.env, services.env);
    resetSettingsCache();
    resetBlobClients();
    resetCosmosClients();
    await ensureContainers();
    await ensureCosmos();
    const summary = await rebuildProjection(log);

    const runner = new LocalDurableRunner({ maxConcurrentActivities: options.maxConcurrentActivities ?? 2, log });
    const server = createLocalServer({ client: runner, log });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new Error(`port ${options.port} is already in use: stop what uses it or set PORT to another port`)
            : e,
        ),
      );
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;

    const watcher = new GenomeWatcher(runner, log, options.watchIntervalMs ?? 1_000);
    await watcher.prime(summary.records);
    watcher.start();

    fs.writeFileSync(stackFile(options.dataDir), JSON.stringify({ pid: process.pid, url, env: services.env }, null, 2));
    return {
      url,
      port,
      env: services.env,
      runner,
      watcher,
      async stop() {
        await watcher.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        fs.rmSync(stackFile(options.dataDir), { force: true });
        await services.stop();
      },
    };
  } catch (e) {
    await services.stop();
    throw e;
  }
}
