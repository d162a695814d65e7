/**
 * The one place that reads configuration from the environment.
 *
 * Two modes:
 * - Azure (default): identity only, no keys. Storage and Cosmos DB are reached
 *   with a managed identity (user-assigned when AZURE_CLIENT_ID is set).
 * - Local (`LAG_LOCAL=1`): Azurite through its well-known development
 *   account connection string, and the local Cosmos API server
 *   (@vercel/cosmosdb-server) with a key it does not check.
 *
 * Every variable read here is listed by `settingNames()`, so a test can check
 * that the Bicep template sets them.
 */
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { InternalError } from '../../shared/errors';
import { type DevIdentity, parseRoleList } from '../../shared/identity';

/** Names of every environment variable this module reads. */
export const SETTING = {
  local: 'LAG_LOCAL',
  // Azure mode (identity-based connection; the `__` form is the Functions
  // host's convention, so the same setting also serves blob/queue triggers).
  blobServiceUri: 'GENOMES_STORAGE__blobServiceUri',
  queueServiceUri: 'GENOMES_STORAGE__queueServiceUri',
  cosmosAccountEndpoint: 'COSMOS__accountEndpoint',
  clientId: 'AZURE_CLIENT_ID',
  // Local mode.
  storageConnectionString: 'GENOMES_STORAGE_CONNECTION_STRING',
  cosmosEndpoint: 'COSMOS_ENDPOINT',
  cosmosKey: 'COSMOS_KEY',
  cosmosCaCertFile: 'COSMOS_CA_CERT_FILE',
  // Local mode only: the development identity (shared/identity.ts). Never read in Azure mode.
  devUser: 'LAG_DEV_USER',
  devRoles: 'LAG_DEV_ROLES',
} as const;

export type Mode = 'azure' | 'local';

const NAMES: Record<Mode, { required: readonly string[]; optional: readonly string[] }> = {
  azure: {
    required: [SETTING.blobServiceUri, SETTING.queueServiceUri, SETTING.cosmosAccountEndpoint],
    optional: [SETTING.clientId],
  },
  local: {
    required: [SETTING.local, SETTING.storageConnectionString, SETTING.cosmosEndpoint, SETTING.cosmosKey],
    optional: [SETTING.cosmosCaCertFile, SETTING.devUser, SETTING.devRoles],
  },
};

/**
 * Every environment variable the code reads: for one mode (`'azure'` is what
 * the Bicep template must set, AZURE_CLIENT_ID included since LAG runs with a
 * user-assigned identity), or for both when no mode is given.
 */
export function settingNames(mode?: Mode): string[] {
  const modes: Mode[] = mode ? [mode] : ['azure', 'local'];
  const names = modes.flatMap((m) => [...NAMES[m].required, ...NAMES[m].optional]);
  return [...new Set(names)];
}

export type StorageSettings =
  | { auth: 'identity'; blobServiceUri: string; queueServiceUri: string }
  | { auth: 'connectionString'; connectionString: string };

export type CosmosSettings =
  | { auth: 'identity'; endpoint: string }
  /** `caCertFile`: PEM file of the CA that signed the local server's certificate. */
  | { auth: 'key'; endpoint: string; key: string; caCertFile?: string };

export interface Settings {
  mode: Mode;
  storage: StorageSettings;
  cosmos: CosmosSettings;
  /** Client id of the user-assigned managed identity (Azure mode only). */
  managedIdentityClientId?: string;
  /** The development identity of requests without x-lag-dev-user (local mode only; absent: such requests get 401). */
  devIdentity?: DevIdentity;
}

/** `LAG_DEV_USER=none` (or unset) means no development identity. */
export const NO_DEV_USER = 'none';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

/** The Cosmos DB emulator's well-known key; the local Cosmos API server accepts any key. */
export const COSMOS_EMULATOR_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** The connection string of Azurite's development account on the given ports. */
export function azuriteConnectionString(ports: {
  blobPort: number;
  queuePort: number;
  tablePort?: number;
  host?: string;
}): string {
  const host = ports.host ?? '127.0.0.1';
  const parts = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${AZURITE_ACCOUNT.name}`,
    `AccountKey=${AZURITE_ACCOUNT.key}`,
    `BlobEndpoint=http://${host}:${ports.blobPort}/${AZURITE_ACCOUNT.name}`,
    `QueueEndpoint=http://${host}:${ports.queuePort}/${AZURITE_ACCOUNT.name}`,
  ];
  if (ports.tablePort !== undefined) {
    parts.push(`TableEndpoint=http://${host}:${ports.tablePort}/${AZURITE_ACCOUNT.name}`);
  }
  return parts.join(';') + ';';
}

type Env = Record<string, string | undefined>;

function isOn(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

class Reader {
  readonly missing: string[] = [];
  readonly invalid: string[] = [];
  constructor(
    private readonly env: Env,
    private readonly hints: Record<string, string>,
  ) {}

  required(name: string): string {
    const value = this.env[name]?.trim();
    if (!value) {
      this.missing.push(this.hints[name] ? `${name} (${this.hints[name]})` : name);
      return '';
    }
    return value;
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  url(name: string, protocols: string[], required = true): string {
    const value = required ? this.required(name) : (this.optional(name) ?? '');
    if (!value) return '';
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.invalid.push(`${name}="${value}" is not a URL`);
      return value;
    }
    if (!protocols.includes(parsed.protocol)) {
      this.invalid.push(`${name}="${value}" must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    }
    return value.replace(/\/+$/, '');
  }

  check(mode: Mode): void {
    const problems: string[] = [];
    if (this.missing.length) problems.push(`missing setting(s): ${this.missing.join(', ')}`);
    if (this.invalid.length) problems.push(`invalid setting(s): ${this.invalid.join('; ')}`);
    if (!problems.length) return;
    const how =
      mode === 'azure'
        ? `Azure mode (${SETTING.local} is not set): the Function App settings must provide them (infra/ sets them).`
        : `Local mode (${SETTING.local}=1): start the local services (functions/local/services.ts) and use the env they return.`;
    throw new InternalError('SETTING_MISSING', `Configuration error: ${problems.join('; ')}. ${how}`);
  }
}

const HINTS: Record<string, string> = {
  [SETTING.blobServiceUri]: 'e.g. https://<account>.blob.core.windows.net',
  [SETTING.queueServiceUri]: 'e.g. https://<account>.queue.core.windows.net',
  [SETTING.cosmosAccountEndpoint]: 'e.g. https://<account>.documents.azure.com:443/',
  [SETTING.storageConnectionString]: "Azurite's development account connection string",
  [SETTING.cosmosEndpoint]: 'e.g. https://127.0.0.1:8081',
  [SETTING.cosmosKey]: 'any key for the local server, e.g. the emulator key',
};

/**
 * Reads and validates the configuration. Throws an InternalError (code
 * SETTING_MISSING) naming every missing or malformed setting at once.
 */
export function loadSettings(env: Env = process.env): Settings {
  const local = isOn(env[SETTING.local]);
  const r = new Reader(env, HINTS);
  if (local) {
    const connectionString = r.required(SETTING.storageConnectionString);
    const endpoint = r.url(SETTING.cosmosEndpoint, ['https:', 'http:']);
    const key = r.required(SETTING.cosmosKey);
    const caCertFile = r.optional(SETTING.cosmosCaCertFile);
    const devUser = r.optional(SETTING.devUser);
    let devIdentity: DevIdentity | undefined;
    if (devUser && devUser.toLowerCase() !== NO_DEV_USER) {
      try {
        devIdentity = { user: devUser, roles: parseRoleList(r.optional(SETTING.devRoles) ?? '', SETTING.devRoles) };
      } catch (e) {
        r.invalid.push((e as Error).message);
      }
    }
    r.check('local');
    return {
      mode: 'local',
      storage: { auth: 'connectionString', connectionString },
      cosmos: { auth: 'key', endpoint, key, ...(caCertFile ? { caCertFile } : {}) },
      ...(devIdentity ? { devIdentity } : {}),
    };
  }
  const blobServiceUri = r.url(SETTING.blobServiceUri, ['https:']);
  const queueServiceUri = r.url(SETTING.queueServiceUri, ['https:']);
  const endpoint = r.url(SETTING.cosmosAccountEndpoint, ['https:']);
  const clientId = r.optional(SETTING.clientId);
  r.check('azure');
  return {
    mode: 'azure',
    storage: { auth: 'identity', blobServiceUri, queueServiceUri },
    cosmos: { auth: 'identity', endpoint },
    ...(clientId ? { managedIdentityClientId: clientId } : {}),
  };
}

let cachedSettings: Settings | undefined;

/** Settings from process.env, read once per process. */
export function currentSettings(): Settings {
  cachedSettings ??= loadSettings();
  return cachedSettings;
}

/** Forget cached settings (tests that change process.env). */
export function resetSettingsCache(): void {
  cachedSettings = undefined;
  credentials.clear();
}

const credentials = new Map<string, TokenCredential>();

/**
 * The Entra ID credential of Azure mode: the user-assigned managed identity
 * when AZURE_CLIENT_ID is set, otherwise DefaultAzureCredential (system
 * identity in Azure, developer sign-in elsewhere). Cached per client id.
 */
export function getCredential(settings: Settings): TokenCredential {
  const clientId = settings.managedIdentityClientId;
  const key = clientId ?? '';
  let credential = credentials.get(key);
  if (!credential) {
    credential = clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
    credentials.set(key, credential);
  }
  return credential;
}
