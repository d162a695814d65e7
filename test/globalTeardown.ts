/** Jest global teardown: stops the services test/globalSetup.ts started and removes their files. */
import * as fs from 'fs';
import { takeTestServicesState } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const state = takeTestServicesState();
  if (!state) return;
  try {
    await state.services.stop();
  } finally {
    fs.rmSync(state.dataDir, { recursive: true, force: true });
    fs.rmSync(state.envFile, { force: true });
  }
}
