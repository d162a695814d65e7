/**
 * Runs before each test file: loads the env of the local services started by
 * test/globalSetup.ts (LAG_LOCAL, GENOMES_STORAGE_CONNECTION_STRING,
 * COSMOS_ENDPOINT, COSMOS_KEY, COSMOS_CA_CERT_FILE) into process.env.
 * Fails loudly when it is missing: tests never silently skip the services.
 */
import * as fs from 'fs';

const ENV_FILE_VARIABLE = 'LAG_TEST_ENV_FILE';

const file = process.env[ENV_FILE_VARIABLE];
if (!file) {
  throw new Error(`${ENV_FILE_VARIABLE} is not set: test/globalSetup.ts did not run (run the tests with jest.config.js)`);
}
let env: Record<string, string>;
try {
  env = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
} catch (e) {
  throw new Error(`cannot read the local services' env from ${file}: ${(e as Error).message}`);
}
Object.assign(process.env, env);
