/**
 * The template and the code agree: every setting the functions read is set
 * on the function app, every setting that names a service points at a
 * resource the template creates (with the roles the app needs on it), the
 * storage, queue, Cosmos DB and Event Grid names are the code's, and azd's
 * service name matches the app's azd-service-name tag.
 * Needs the Bicep CLI (bash scripts/install-bicep.sh): fails without it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PARTITION_KEY_PATH } from '../../functions/adapters/cosmos';
import { settingNames } from '../../functions/adapters/settings';
import { ANALYSIS_SETTING_NAMES } from '../../shared/analysisSettings';
import { COSMOS, CONTAINERS, QUEUES } from '../../shared/contracts';
import { buildSvQuery } from '../../shared/svQuery';
import { buildAuditQuery } from '../../shared/audit';
import { type Flattened, flatten, get, isObject, Opaque, type Resource, type Value } from './arm';
import { compileBicep, MAIN_BICEP, ROOT } from './bicep';
import { appSettingsOf, childrenOf, functionApps, ofType, referencedResource } from './policy';

let t: Flattened;
let app: Resource;
let settings: Map<string, Value>;

beforeAll(() => {
  t = flatten(compileBicep(MAIN_BICEP));
  const apps = functionApps(t);
  expect(apps).toHaveLength(1);
  app = apps[0]!;
  settings = appSettingsOf(app);
});

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const lastSegment = (r: Resource) => r.name.split('/').pop()!;

/** The resource of a type that a setting's value points at. */
function target(name: string, type: string): Resource {
  const value = settings.get(name);
  if (value === undefined) throw new Error(`app setting ${name} is not set`);
  const r = referencedResource(value, ofType(t, type));
  if (!r) throw new Error(`app setting ${name} does not point at a ${type} of the template: ${value instanceof Opaque ? value.text : JSON.stringify(value)}`);
  return r;
}

/** The identity-based connection `<prefix>__*` must use the app's own managed identity. */
function expectIdentityConnection(prefix: string, services: string[]): Resource {
  const accounts = services.map((s) => target(`${prefix}__${s}ServiceUri`, 'Microsoft.Storage/storageAccounts'));
  for (const a of accounts) expect(a.id).toBe(accounts[0]!.id);
  expect(settings.get(`${prefix}__credential`)).toBe('managedidentity');
  expect(target(`${prefix}__clientId`, 'Microsoft.ManagedIdentity/userAssignedIdentities').id).toBe(appIdentity().id);
  return accounts[0]!;
}

function appIdentity(): Resource {
  const assigned = get(app.value, 'identity.userAssignedIdentities');
  const keys = isObject(assigned) ? Object.keys(assigned) : [];
  expect(keys).toHaveLength(1);
  const identity = referencedResource(keys[0]!, ofType(t, 'Microsoft.ManagedIdentity/userAssignedIdentities'));
  expect(identity).toBeDefined();
  return identity!;
}

/** Built-in roles (by definition id suffix) granted to the app's identity on a resource. */
function rolesOn(resource: Resource): string[] {
  const identity = appIdentity();
  return [...ofType(t, 'Microsoft.Authorization/roleAssignments'), ...ofType(t, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments')]
    .filter((ra) => {
      const principal = get(ra.value, 'properties.principalId');
      if (principal === undefined || !referencedResource(principal, [identity])) return false;
      const scope = ra.type.endsWith('sqlRoleAssignments') ? get(ra.value, 'properties.scope') : ra.value.scope;
      return scope !== undefined && referencedResource(scope, [resource]) !== undefined;
    })
    .map((ra) => {
      const id = get(ra.value, 'properties.roleDefinitionId');
      const text = id instanceof Opaque ? id.text : String(id);
      return text.slice(text.lastIndexOf('/') + 1);
    });
}

const ROLE = {
  blobOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  blobContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  queueContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  tableContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  metricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  cosmosDataContributor: '00000000-0000-0000-0000-000000000002',
};

describe('app settings and code agree', () => {
  it("sets every setting the code reads in Azure mode (settingNames('azure'))", () => {
    const names = settingNames('azure');
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !settings.has(n))).toEqual([]);
  });

  it('sets LAG_INDEX_WAIT_SECONDS, and docs/deploy.md names every other analysis setting (they keep their defaults)', () => {
    expect(settings.has('LAG_INDEX_WAIT_SECONDS')).toBe(true);
    const doc = read('docs/deploy.md');
    expect(ANALYSIS_SETTING_NAMES.filter((n) => !settings.has(n) && !doc.includes(n))).toEqual([]);
    const unknown = [...settings.keys()].filter((n) => n.startsWith('LAG_') && !(ANALYSIS_SETTING_NAMES as readonly string[]).includes(n));
    expect(unknown).toEqual([]);
  });

  it('the queue trigger connection is identity-based and reaches the genomes account, its containers and queue', () => {
    const connection = /connection:\s*'([^']+)'/.exec(read('functions/genomeEvents.ts'))?.[1];
    expect(connection).toBe('GENOMES_STORAGE');
    const account = expectIdentityConnection(connection!, ['blob', 'queue']);
    const [blobService] = childrenOf(t, account, 'blobServices');
    const [queueService] = childrenOf(t, account, 'queueServices');
    expect(childrenOf(t, blobService!, 'containers').map(lastSegment).sort()).toEqual(Object.values(CONTAINERS).sort());
    expect(childrenOf(t, queueService!, 'queues').map(lastSegment)).toEqual([QUEUES.genomeEvents]);
    expect(rolesOn(account).sort()).toEqual([ROLE.blobContributor, ROLE.queueContributor].sort());
  });

  it('the Functions host and the durable task hub use an identity-based AzureWebJobsStorage with blob, queue and table', () => {
    const host = JSON.parse(read('host.json')) as { extensions?: { durableTask?: { hubName?: string; storageProvider?: { connectionName?: string } } } };
    expect(host.extensions?.durableTask?.hubName).toBe('lag');
    // No other storage connection for the task hub than AzureWebJobsStorage.
    expect(host.extensions?.durableTask?.storageProvider?.connectionName ?? 'AzureWebJobsStorage').toBe('AzureWebJobsStorage');
    const account = expectIdentityConnection('AzureWebJobsStorage', ['blob', 'queue', 'table']);
    expect(childrenOf(t, account, 'tableServices')).toHaveLength(1);
    expect(rolesOn(account).sort()).toEqual([ROLE.blobOwner, ROLE.queueContributor, ROLE.tableContributor].sort());
    // The Flex Consumption deployment package lives in a container of that account, read with the same identity.
    const deployment = get(app.value, 'properties.functionAppConfig.deployment.storage');
    expect(referencedResource(get(deployment, 'value') ?? null, [account])).toBeDefined();
    const containers = childrenOf(t, childrenOf(t, account, 'blobServices')[0]!, 'containers').map(lastSegment);
    const url = get(deployment, 'value');
    expect(typeof url === 'string' && containers.some((c) => url.endsWith(c))).toBe(true);
    expect(get(deployment, 'authentication.type')).toBe('UserAssignedIdentity');
  });

  it('COSMOS__accountEndpoint reaches the account that has the database, containers and partition key of the code', () => {
    const account = target('COSMOS__accountEndpoint', 'Microsoft.DocumentDB/databaseAccounts');
    const [database, ...others] = childrenOf(t, account, 'sqlDatabases');
    expect(others).toEqual([]);
    expect(lastSegment(database!)).toBe(COSMOS.database);
    const containers = childrenOf(t, database!, 'containers');
    const { database: _database, ...containerNames } = COSMOS;
    void _database;
    expect(containers.map(lastSegment).sort()).toEqual(Object.values(containerNames).sort());
    for (const c of containers) expect(get(c.value, 'properties.resource.partitionKey.paths')).toEqual([PARTITION_KEY_PATH]);
    expect(rolesOn(account)).toEqual([ROLE.cosmosDataContributor]);
  });

  it('the svCalls indexing policy indexes every property the API filters and sorts on', () => {
    const account = target('COSMOS__accountEndpoint', 'Microsoft.DocumentDB/databaseAccounts');
    const svCalls = childrenOf(t, childrenOf(t, account, 'sqlDatabases')[0]!, 'containers').find((c) => lastSegment(c) === COSMOS.svCalls)!;
    const policy = get(svCalls.value, 'properties.resource.indexingPolicy');
    const included = (get(policy, 'includedPaths') as Value[]).map((p) => String(get(p, 'path')));
    const excluded = (get(policy, 'excludedPaths') as Value[]).map((p) => String(get(p, 'path')));
    const { query } = buildSvQuery('s', 'r', {
      chromosome: '1',
      region: { chromosome: '1', start: 0, end: 10 },
      types: ['DEL'],
      minSize: 50,
      minScore: 0.5,
      passOnly: true,
      pageSize: 10,
    });
    const properties = [...new Set([...query.matchAll(/c\.(\w+)|c\["(\w+)"\]/g)].map((m) => m[1] ?? m[2]!))];
    expect(properties).toEqual(expect.arrayContaining(['sampleId', 'runId', 'chromosome', 'type', 'svlen', 'score', 'filter', 'sortKey']));
    const indexed = (p: string) => included.includes(`/${p}/?`) || (included.includes('/*') && !excluded.includes(`/${p}/?`));
    expect(properties.filter((p) => !indexed(p))).toEqual([]);
    // ORDER BY with the equality filters: composite indexes that end with the sort key.
    const orderBy = /ORDER BY c\.(\w+)/.exec(query)?.[1];
    const composites = get(policy, 'compositeIndexes') as Value[][];
    expect(composites.length).toBeGreaterThan(0);
    for (const composite of composites) expect(get(composite[composite.length - 1]!, 'path')).toBe(`/${orderBy}`);
  });

  it('the audit indexing policy indexes every property GET /api/audit filters and sorts on', () => {
    const account = target('COSMOS__accountEndpoint', 'Microsoft.DocumentDB/databaseAccounts');
    const audit = childrenOf(t, childrenOf(t, account, 'sqlDatabases')[0]!, 'containers').find((c) => lastSegment(c) === COSMOS.audit)!;
    const policy = get(audit.value, 'properties.resource.indexingPolicy');
    const included = (get(policy, 'includedPaths') as Value[]).map((p) => String(get(p, 'path')));
    const { query } = buildAuditQuery({ sampleId: 's', user: 'u', action: 'read-sample', from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z', pageSize: 10 });
    const properties = [...new Set([...query.matchAll(/c\.(\w+)/g)].map((m) => m[1]!))];
    expect(properties).toEqual(expect.arrayContaining(['sampleId', 'user', 'userId', 'action', 'at']));
    expect(properties.filter((p) => !included.includes(`/${p}/?`))).toEqual([]);
  });

  it('AZURE_CLIENT_ID is the identity the app runs as, and telemetry is sent with it', () => {
    expect(target('AZURE_CLIENT_ID', 'Microsoft.ManagedIdentity/userAssignedIdentities').id).toBe(appIdentity().id);
    const insights = target('APPLICATIONINSIGHTS_CONNECTION_STRING', 'Microsoft.Insights/components');
    const auth = settings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
    expect(typeof auth === 'string' && auth.endsWith(';Authorization=AAD') && referencedResource(auth, [appIdentity()]) !== undefined).toBe(true);
    expect(rolesOn(insights)).toEqual([ROLE.metricsPublisher]);
  });

  it('every app setting that references a resource references one the template creates', () => {
    const ids = new Set(t.resources.map((r) => r.id));
    const strays: string[] = [];
    for (const [name, value] of settings) {
      const text = value instanceof Opaque ? value.text : typeof value === 'string' ? value : JSON.stringify(value);
      for (const m of text.matchAll(/reference\(([^()]+)\)/g)) {
        if (!ids.has(m[1]!)) strays.push(`${name} -> ${m[1]}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it('Event Grid delivers BlobCreated of the genomes container to the genome-events queue of the same account', () => {
    const account = target('GENOMES_STORAGE__queueServiceUri', 'Microsoft.Storage/storageAccounts');
    const [topic, ...others] = ofType(t, 'Microsoft.EventGrid/systemTopics');
    expect(others).toEqual([]);
    expect(referencedResource(get(topic!.value, 'properties.source') ?? null, [account])).toBeDefined();
    const [sub] = childrenOf(t, topic!, 'eventSubscriptions');
    const props = get(sub!.value, 'properties');
    expect(get(props, 'filter.includedEventTypes')).toEqual(['Microsoft.Storage.BlobCreated']);
    expect(get(props, 'filter.subjectBeginsWith')).toBe(`/blobServices/default/containers/${CONTAINERS.genomes}/`);
    expect(get(props, 'eventDeliverySchema')).toBe('EventGridSchema');
    const destination = get(props, 'deliveryWithResourceIdentity.destination');
    expect(get(destination, 'endpointType')).toBe('StorageQueue');
    expect(get(destination, 'properties.queueName')).toBe(QUEUES.genomeEvents);
    expect(referencedResource(get(destination, 'properties.resourceId') ?? null, [account])).toBeDefined();
  });
});

describe('azd', () => {
  it("azure.yaml's service is the app's azd-service-name tag, a TypeScript function app", () => {
    const yaml = read('azure.yaml');
    const services = /^services:\s*\n((?:[ \t]+.*\n?|\s*\n)*)/m.exec(yaml)?.[1] ?? '';
    const names = [...services.matchAll(/^ {2}([A-Za-z0-9_-]+):\s*$/gm)].map((m) => m[1]);
    expect(names).toEqual([get(app.value, 'tags.azd-service-name')]);
    expect(services).toMatch(/^ {4}host:\s*function\s*$/m);
    expect(services).toMatch(/^ {4}language:\s*(ts|typescript)\s*$/m);
    expect(services).toMatch(/^ {4}project:\s*\.\/?\s*$/m);
  });

  it('every resource carries the azd-env-name tag', () => {
    const untagged = t.resources
      .filter((r) => 'location' in r.value && r.type !== 'Microsoft.Resources/deployments')
      .filter((r) => {
        const tag = get(r.value, 'tags.azd-env-name');
        return !(tag instanceof Opaque && tag.text === "parameters('environmentName')");
      })
      .map((r) => `${r.type} ${r.name}`);
    expect(untagged).toEqual([]);
  });

  it('main.parameters.json gives every parameter that has no default, and nothing else than azd variables', () => {
    const file = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
    const required = Object.values(t.parameters).filter((p) => p.defaultValue === undefined).map((p) => p.name).sort();
    expect(Object.keys(file.parameters).filter((k) => required.includes(k)).sort()).toEqual(required);
    expect(Object.keys(file.parameters).filter((k) => !(k in t.parameters))).toEqual([]);
    for (const { value } of Object.values(file.parameters)) expect(String(value)).toMatch(/^\$\{[A-Z0-9_]+(=[^}]*)?\}$/);
  });
});

describe('the deployment package', () => {
  // .funcignore decides what `azd deploy` zips: the files the app reads at run time must stay in.
  const ignore = readFileSync(path.join(ROOT, '.funcignore'), 'utf8')
    .split('\n')
    .map((l: string) => l.trim())
    .filter((l: string) => l && !l.startsWith('#'));
  test.each(['dist/', 'node_modules/', 'model/', 'web/', 'shared/annotation/data/', 'host.json', 'package.json'])('%s is deployed', (kept) => {
    const name = kept.replace(/\/$/, '');
    expect(ignore.filter((p: string) => !p.startsWith('!') && (p.replace(/\/$/, '') === name || name.startsWith(p.replace(/\/$/, '') + '/')))).toEqual([]);
  });
});
