/**
 * The HDS rules of the infrastructure (issue: genomes stay in France, travel
 * only over private networks, are reached only by identities with a role,
 * every access leaves a trace), as functions over a compiled ARM template.
 * Each rule looks at every resource of its type, in every nested deployment,
 * and reports each resource that breaks it, by name and rule.
 *
 * A property must be a literal (or a value passed down literally from
 * main.bicep) to pass: a value that depends on a deployment parameter could
 * be turned off at deployment, so it does not count as enforced. The one
 * exception is the region, which must come from a parameter @allowed to the
 * French regions only.
 */
import { canonicalId, type Flattened, get, isObject, nameSegments, Opaque, type Output, type Resource, type Value } from './arm';

export const FRANCE_REGIONS = ['francecentral', 'francesouth'];

export interface Violation {
  rule: string;
  resource: string;
  message: string;
}

export interface Rule {
  id: string;
  /** What the rule demands (HDS control), for reports and docs. */
  description: string;
  check(t: Flattened): Violation[];
}

/** A resource's name for messages: deployment-time parts collapsed to ‹…›. */
export function label(r: Resource | Output): string {
  const name = 'id' in r ? `${r.type} '${collapse(r.name)}'` : `output '${r.name}'`;
  return r.path.length ? `${name} (module ${r.path.map(collapse).join(' > ')})` : name;
}

function collapse(s: string): string {
  let out = '';
  let depth = 0;
  for (const c of s) {
    if (c === '«') {
      if (depth === 0) out += '‹…›';
      depth++;
    } else if (c === '»') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

export function formatViolation(v: Violation): string {
  return `${v.rule}: ${v.resource}: ${v.message}`;
}

function show(v: Value | undefined): string {
  if (v === undefined) return 'absent';
  if (v instanceof Opaque) return `the deployment-time value ${v.text}`;
  return JSON.stringify(v);
}

export const ofType = (t: Flattened, type: string) => t.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());

/** Direct children of a resource, of a given child type. */
export function childrenOf(t: Flattened, parent: Resource, childType: string): Resource[] {
  const type = `${parent.type}/${childType}`.toLowerCase();
  const depth = nameSegments(parent.name).length;
  return t.resources.filter((r) => {
    if (r.type.toLowerCase() !== type) return false;
    const segments = nameSegments(r.name);
    return segments.length === depth + 1 && segments.slice(0, depth).join('/') === nameSegments(parent.name).join('/');
  });
}

/** One property must equal a literal. */
function propertyRule(id: string, type: string, path: string, expected: Value, description: string, options: { ignoreCase?: boolean } = {}): Rule {
  return {
    id,
    description,
    check(t) {
      return ofType(t, type).flatMap((r) => {
        const actual = get(r.value, path);
        const ok =
          options.ignoreCase && typeof actual === 'string' && typeof expected === 'string'
            ? actual.toLowerCase() === expected.toLowerCase()
            : actual === expected;
        return ok ? [] : [{ rule: id, resource: label(r), message: `${path} must be ${JSON.stringify(expected)}, is ${show(actual)}` }];
      });
    },
  };
}

/** A number that is at least `min`: a literal, or a top-level parameter whose @minValue is at least `min`. */
function atLeast(v: Value | undefined, min: number): boolean {
  if (typeof v === 'number') return v >= min;
  return v instanceof Opaque && v.parameter?.minValue !== undefined && v.parameter.minValue >= min;
}

// Data containers: the account that holds them is the genomes account.
export const DATA_CONTAINERS = ['genomes', 'results'];

/** Storage accounts that hold genomes or results. */
function isDataAccount(t: Flattened, account: Resource): boolean {
  return childrenOf(t, account, 'blobServices').some((svc) =>
    childrenOf(t, svc, 'containers').some((c) => DATA_CONTAINERS.includes(c.name.split('/').pop()!)),
  );
}

/** Resource types with logs (or, for the storage account itself, metrics only) that Azure Monitor can export. */
export const DIAGNOSABLE_TYPES: Record<string, 'logs' | 'metrics'> = {
  'Microsoft.Storage/storageAccounts': 'metrics',
  'Microsoft.Storage/storageAccounts/blobServices': 'logs',
  'Microsoft.Storage/storageAccounts/queueServices': 'logs',
  'Microsoft.Storage/storageAccounts/tableServices': 'logs',
  'Microsoft.Storage/storageAccounts/fileServices': 'logs',
  'Microsoft.DocumentDB/databaseAccounts': 'logs',
  'Microsoft.KeyVault/vaults': 'logs',
  'Microsoft.Web/sites': 'logs',
  'Microsoft.Insights/components': 'logs',
  'Microsoft.OperationalInsights/workspaces': 'logs',
  'Microsoft.EventGrid/systemTopics': 'logs',
  'Microsoft.EventGrid/topics': 'logs',
  'Microsoft.Network/virtualNetworks': 'logs',
  'Microsoft.Network/networkSecurityGroups': 'logs',
};

/** Built-in roles the template may assign (id -> name). */
export const KNOWN_ROLES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1': 'Storage Blob Data Reader',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a': 'Storage Queue Data Message Sender',
  '8a0f0c08-91a1-4084-bc3d-661d67233fed': 'Storage Queue Data Message Processor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  '00000000-0000-0000-0000-000000000001': 'Cosmos DB Built-in Data Reader',
  '00000000-0000-0000-0000-000000000002': 'Cosmos DB Built-in Data Contributor',
};

/** Words that betray a secret in an output or an app setting. */
const SECRET_PATTERN = /\blist[A-Za-z]*\(|connectionstring|accountkey|primarykey|secondarykey|masterkey|sharedaccess|password|secret/i;

function locationOk(v: Value | undefined): boolean {
  if (typeof v === 'string') return v === 'global' || FRANCE_REGIONS.includes(v.toLowerCase());
  if (v instanceof Opaque && v.parameter) {
    const allowed = v.parameter.allowedValues;
    return Array.isArray(allowed) && allowed.length > 0 && allowed.every((a) => typeof a === 'string' && FRANCE_REGIONS.includes(a.toLowerCase()));
  }
  return false;
}

function appSettings(site: Resource): { name: string; value: Value }[] {
  const list = get(site.value, 'properties.siteConfig.appSettings');
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((s) => ({ name: String(s.name), value: s.value ?? null }));
}

export function functionApps(t: Flattened): Resource[] {
  return ofType(t, 'Microsoft.Web/sites').filter((r) => String(get(r.value, 'kind') ?? '').includes('functionapp'));
}

/** App settings of a function app, by name. */
export function appSettingsOf(site: Resource): Map<string, Value> {
  return new Map(appSettings(site).map((s) => [s.name, s.value]));
}

/** Whether `text` contains `id` as a whole resource id (not as the start of a longer name). */
function mentions(text: string, id: string): boolean {
  for (let at = text.indexOf(id); at >= 0; at = text.indexOf(id, at + 1)) {
    const next = text[at + id.length];
    if (next === undefined || !/[A-Za-z0-9_.«-]/.test(next)) return true;
  }
  return false;
}

/** The resource of `candidates` whose id a value (evaluated) mentions, if any. */
export function referencedResource(value: Value, candidates: Resource[]): Resource | undefined {
  const text = value instanceof Opaque ? value.text : typeof value === 'string' ? value : JSON.stringify(value);
  return candidates.find((r) => mentions(text, r.id));
}

export const RULES: Rule[] = [
  {
    id: 'location.parameter',
    description: 'the location parameter is @allowed to francecentral and francesouth only',
    check(t) {
      const p = t.parameters.location;
      const allowed = p?.allowedValues;
      if (Array.isArray(allowed) && allowed.length > 0 && allowed.every((a) => typeof a === 'string' && FRANCE_REGIONS.includes(a))) return [];
      return [{ rule: 'location.parameter', resource: 'parameter location', message: `must be @allowed to ${FRANCE_REGIONS.join(', ')} only, allows ${JSON.stringify(allowed ?? 'any region')}` }];
    },
  },
  {
    id: 'location.france',
    description: 'every resource (and every Cosmos DB replica) is in a French region (or global, for DNS zones)',
    check(t) {
      const out: Violation[] = [];
      for (const r of t.resources) {
        if ('location' in r.value && !locationOk(r.value.location)) {
          out.push({ rule: 'location.france', resource: label(r), message: `location must be a French region, is ${show(r.value.location)}` });
        }
        if (r.type === 'Microsoft.DocumentDB/databaseAccounts') {
          const locations = get(r.value, 'properties.locations');
          for (const l of Array.isArray(locations) ? locations : []) {
            const name = get(l, 'locationName');
            if (!locationOk(name)) out.push({ rule: 'location.france', resource: label(r), message: `replica location must be a French region, is ${show(name)}` });
          }
        }
      }
      return out;
    },
  },
  propertyRule('storage.sharedKey', 'Microsoft.Storage/storageAccounts', 'properties.allowSharedKeyAccess', false, 'no shared-key (account key, SAS) access'),
  propertyRule('storage.blobPublicAccess', 'Microsoft.Storage/storageAccounts', 'properties.allowBlobPublicAccess', false, 'no anonymous blob access'),
  propertyRule('storage.tls', 'Microsoft.Storage/storageAccounts', 'properties.minimumTlsVersion', 'TLS1_2', 'TLS 1.2 minimum'),
  propertyRule('storage.httpsOnly', 'Microsoft.Storage/storageAccounts', 'properties.supportsHttpsTrafficOnly', true, 'HTTPS only'),
  propertyRule('storage.publicNetwork', 'Microsoft.Storage/storageAccounts', 'properties.publicNetworkAccess', 'Disabled', 'public network access disabled'),
  propertyRule('storage.firewall', 'Microsoft.Storage/storageAccounts', 'properties.networkAcls.defaultAction', 'Deny', 'network rules deny by default'),
  {
    id: 'storage.softDelete',
    description: 'blob and container soft delete on (7 days at least) on every storage account',
    check(t) {
      const out: Violation[] = [];
      for (const account of ofType(t, 'Microsoft.Storage/storageAccounts')) {
        const services = childrenOf(t, account, 'blobServices');
        if (services.length === 0) out.push({ rule: 'storage.softDelete', resource: label(account), message: 'has no blobServices/default settings, so no soft delete' });
        for (const svc of services) {
          for (const policy of ['deleteRetentionPolicy', 'containerDeleteRetentionPolicy']) {
            const enabled = get(svc.value, `properties.${policy}.enabled`);
            const days = get(svc.value, `properties.${policy}.days`);
            if (enabled !== true) out.push({ rule: 'storage.softDelete', resource: label(svc), message: `properties.${policy}.enabled must be true, is ${show(enabled)}` });
            else if (!atLeast(days, 7)) out.push({ rule: 'storage.softDelete', resource: label(svc), message: `properties.${policy}.days must be at least 7, is ${show(days)}` });
          }
        }
      }
      return out;
    },
  },
  {
    id: 'storage.versioning',
    description: 'the genomes account (containers genomes/results) keeps blob versions and a change feed',
    check(t) {
      const out: Violation[] = [];
      for (const account of ofType(t, 'Microsoft.Storage/storageAccounts').filter((a) => isDataAccount(t, a))) {
        for (const svc of childrenOf(t, account, 'blobServices')) {
          for (const path of ['properties.isVersioningEnabled', 'properties.changeFeed.enabled']) {
            const v = get(svc.value, path);
            if (v !== true) out.push({ rule: 'storage.versioning', resource: label(svc), message: `${path} must be true on the genomes account, is ${show(v)}` });
          }
        }
      }
      return out;
    },
  },
  propertyRule('storage.containerPrivate', 'Microsoft.Storage/storageAccounts/blobServices/containers', 'properties.publicAccess', 'None', 'every container is private'),
  propertyRule('cosmos.localAuth', 'Microsoft.DocumentDB/databaseAccounts', 'properties.disableLocalAuth', true, 'Cosmos DB keys disabled (Entra ID only)'),
  propertyRule('cosmos.publicNetwork', 'Microsoft.DocumentDB/databaseAccounts', 'properties.publicNetworkAccess', 'Disabled', 'Cosmos DB public network access disabled'),
  propertyRule('cosmos.tls', 'Microsoft.DocumentDB/databaseAccounts', 'properties.minimalTlsVersion', 'Tls12', 'Cosmos DB TLS 1.2 minimum'),
  propertyRule('cosmos.backup', 'Microsoft.DocumentDB/databaseAccounts', 'properties.backupPolicy.type', 'Continuous', 'Cosmos DB continuous backup (point-in-time restore)'),
  propertyRule('keyvault.rbac', 'Microsoft.KeyVault/vaults', 'properties.enableRbacAuthorization', true, 'Key Vault uses Azure RBAC, not access policies'),
  propertyRule('keyvault.purgeProtection', 'Microsoft.KeyVault/vaults', 'properties.enablePurgeProtection', true, 'Key Vault purge protection'),
  propertyRule('keyvault.softDelete', 'Microsoft.KeyVault/vaults', 'properties.enableSoftDelete', true, 'Key Vault soft delete'),
  propertyRule('keyvault.publicNetwork', 'Microsoft.KeyVault/vaults', 'properties.publicNetworkAccess', 'Disabled', 'Key Vault public network access disabled', { ignoreCase: true }),
  propertyRule('appinsights.localAuth', 'Microsoft.Insights/components', 'properties.DisableLocalAuth', true, 'Application Insights local auth disabled (Entra ID ingestion only)'),
  propertyRule('loganalytics.localAuth', 'Microsoft.OperationalInsights/workspaces', 'properties.features.disableLocalAuth', true, 'Log Analytics local auth disabled'),
  {
    id: 'functionapp.https',
    description: 'function apps: HTTPS only, TLS 1.2 minimum, FTP(S) disabled, no basic-auth publishing',
    check(t) {
      const out: Violation[] = [];
      for (const app of functionApps(t)) {
        const checks: [string, Value][] = [
          ['properties.httpsOnly', true],
          ['properties.siteConfig.minTlsVersion', '1.2'],
          ['properties.siteConfig.ftpsState', 'Disabled'],
        ];
        for (const [path, expected] of checks) {
          const v = get(app.value, path);
          if (v !== expected) out.push({ rule: 'functionapp.https', resource: label(app), message: `${path} must be ${JSON.stringify(expected)}, is ${show(v)}` });
        }
        for (const kind of ['ftp', 'scm']) {
          const policy = childrenOf(t, app, 'basicPublishingCredentialsPolicies').find((p) => p.name.endsWith(`/${kind}`));
          const allow = policy ? get(policy.value, 'properties.allow') : undefined;
          if (allow !== false) out.push({ rule: 'functionapp.https', resource: label(app), message: `basicPublishingCredentialsPolicies/${kind} must set allow false, is ${show(allow)}` });
        }
      }
      return out;
    },
  },
  {
    id: 'functionapp.vnet',
    description: 'function apps send their traffic through a subnet of a virtual network of the template',
    check(t) {
      const vnets = ofType(t, 'Microsoft.Network/virtualNetworks');
      return functionApps(t).flatMap((app) => {
        const subnet = get(app.value, 'properties.virtualNetworkSubnetId');
        if (subnet === undefined || subnet === null || subnet === '') {
          return [{ rule: 'functionapp.vnet', resource: label(app), message: 'properties.virtualNetworkSubnetId must be set (VNet integration)' }];
        }
        const vnet = referencedResource(subnet, vnets);
        return vnet ? [] : [{ rule: 'functionapp.vnet', resource: label(app), message: `properties.virtualNetworkSubnetId must be a subnet of a virtual network of the template, is ${show(subnet)}` }];
      });
    },
  },
  {
    id: 'functionapp.identity',
    description: 'function apps run as a user-assigned managed identity of the template, with identity-based connections only',
    check(t) {
      const identities = ofType(t, 'Microsoft.ManagedIdentity/userAssignedIdentities');
      const out: Violation[] = [];
      for (const app of functionApps(t)) {
        const type = get(app.value, 'identity.type');
        const assigned = get(app.value, 'identity.userAssignedIdentities');
        const keys = isObject(assigned) ? Object.keys(assigned) : [];
        if (typeof type !== 'string' || !type.includes('UserAssigned') || keys.length === 0) {
          out.push({ rule: 'functionapp.identity', resource: label(app), message: `identity must be UserAssigned, is ${show(type)}` });
        } else {
          for (const key of keys) {
            if (!referencedResource(key, identities)) out.push({ rule: 'functionapp.identity', resource: label(app), message: `user-assigned identity ${key} is not an identity of the template` });
          }
        }
        for (const { name, value } of appSettings(app)) {
          const text = value instanceof Opaque ? value.text : JSON.stringify(value);
          if (/AccountKey=|SharedAccessSignature=|\blist[A-Za-z]*\(/i.test(text)) {
            out.push({ rule: 'functionapp.identity', resource: label(app), message: `app setting ${name} carries a key: ${text}` });
          }
          if (/__credential$/i.test(name) && value !== 'managedidentity') {
            out.push({ rule: 'functionapp.identity', resource: label(app), message: `app setting ${name} must be "managedidentity", is ${show(value)}` });
          }
        }
      }
      return out;
    },
  },
  {
    id: 'functionapp.auth',
    description: 'function apps require Entra ID authentication; unauthenticated calls get 401',
    check(t) {
      return functionApps(t).flatMap((app) => {
        const auth = childrenOf(t, app, 'config').find((c) => c.name.endsWith('/authsettingsV2'));
        if (!auth) return [{ rule: 'functionapp.auth', resource: label(app), message: 'has no config/authsettingsV2' }];
        const checks: [string, Value][] = [
          ['properties.platform.enabled', true],
          ['properties.globalValidation.requireAuthentication', true],
          ['properties.globalValidation.unauthenticatedClientAction', 'Return401'],
          ['properties.identityProviders.azureActiveDirectory.enabled', true],
        ];
        return checks.flatMap(([path, expected]) => {
          const v = get(auth.value, path);
          return v === expected ? [] : [{ rule: 'functionapp.auth', resource: label(app), message: `authsettingsV2 ${path} must be ${JSON.stringify(expected)}, is ${show(v)}` }];
        });
      });
    },
  },
  {
    id: 'privateEndpoints',
    description: 'every storage service, Cosmos DB account and key vault has a private endpoint registered in a private DNS zone',
    check(t) {
      const endpoints = ofType(t, 'Microsoft.Network/privateEndpoints');
      const groupsOf = (target: Resource) => {
        const groups = new Set<string>();
        for (const pe of endpoints) {
          const connections = get(pe.value, 'properties.privateLinkServiceConnections');
          for (const c of Array.isArray(connections) ? connections : []) {
            const id = get(c, 'properties.privateLinkServiceId');
            if (typeof id !== 'string' || canonicalId(id) !== target.id) continue;
            const hasZone = childrenOf(t, pe, 'privateDnsZoneGroups').some((g) => {
              const configs = get(g.value, 'properties.privateDnsZoneConfigs');
              return Array.isArray(configs) && configs.length > 0;
            });
            if (!hasZone) continue;
            const ids = get(c, 'properties.groupIds');
            for (const g of Array.isArray(ids) ? ids : []) if (typeof g === 'string') groups.add(g.toLowerCase());
          }
        }
        return groups;
      };
      const out: Violation[] = [];
      const need = (r: Resource, groups: string[]) => {
        const have = groupsOf(r);
        for (const g of groups) {
          if (!have.has(g.toLowerCase())) out.push({ rule: 'privateEndpoints', resource: label(r), message: `has no private endpoint (with a private DNS zone) for ${g}` });
        }
      };
      for (const account of ofType(t, 'Microsoft.Storage/storageAccounts')) {
        const services = ['blob', 'queue', 'table', 'file'].filter((s) => childrenOf(t, account, `${s}Services`).length > 0);
        need(account, services);
      }
      for (const cosmos of ofType(t, 'Microsoft.DocumentDB/databaseAccounts')) need(cosmos, ['Sql']);
      for (const vault of ofType(t, 'Microsoft.KeyVault/vaults')) need(vault, ['vault']);
      return out;
    },
  },
  {
    id: 'diagnostics',
    description: "every resource that has logs sends them (the storage account itself, its metrics) to a Log Analytics workspace of the template",
    check(t) {
      const workspaces = ofType(t, 'Microsoft.OperationalInsights/workspaces');
      const settings = ofType(t, 'Microsoft.Insights/diagnosticSettings');
      const out: Violation[] = [];
      for (const r of t.resources) {
        const kind = Object.entries(DIAGNOSABLE_TYPES).find(([type]) => type.toLowerCase() === r.type.toLowerCase())?.[1];
        if (!kind) continue;
        // Workspace-based Application Insights stores its telemetry in the
        // workspace itself; a diagnostic setting would only duplicate it.
        if (r.type === 'Microsoft.Insights/components') {
          const ws = get(r.value, 'properties.WorkspaceResourceId');
          if (ws !== undefined && referencedResource(ws, workspaces)) continue;
        }
        const mine = settings.filter((s) => typeof s.value.scope === 'string' && canonicalId(s.value.scope) === r.id);
        if (mine.length === 0) {
          out.push({ rule: 'diagnostics', resource: label(r), message: 'has no diagnostic setting' });
          continue;
        }
        const good = mine.some((s) => {
          const ws = get(s.value, 'properties.workspaceId');
          if (ws === undefined || !referencedResource(ws, workspaces)) return false;
          const entries = get(s.value, kind === 'logs' ? 'properties.logs' : 'properties.metrics');
          return Array.isArray(entries) && entries.some((e) => get(e, 'enabled') === true);
        });
        if (!good) out.push({ rule: 'diagnostics', resource: label(r), message: `its diagnostic setting must send enabled ${kind} to a Log Analytics workspace of the template` });
      }
      return out;
    },
  },
  {
    id: 'roles.names',
    description: 'role assignments are named with guid(...) and grant a known built-in role',
    check(t) {
      const out: Violation[] = [];
      for (const r of [...ofType(t, 'Microsoft.Authorization/roleAssignments'), ...ofType(t, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments')]) {
        const rawName = String(r.raw.name ?? '');
        if (!/guid\(/.test(rawName)) out.push({ rule: 'roles.names', resource: label(r), message: `name must be guid(...), is ${rawName}` });
        const roleId = get(r.value, 'properties.roleDefinitionId');
        const text = roleId instanceof Opaque ? roleId.text : String(roleId);
        if (!Object.keys(KNOWN_ROLES).some((id) => text.endsWith(id))) out.push({ rule: 'roles.names', resource: label(r), message: `grants an unknown role ${text}` });
      }
      return out;
    },
  },
  {
    id: 'eventgrid.identity',
    description: 'Event Grid system topics have a system-assigned identity and deliver with it (no keys)',
    check(t) {
      const out: Violation[] = [];
      for (const topic of ofType(t, 'Microsoft.EventGrid/systemTopics')) {
        const type = get(topic.value, 'identity.type');
        if (typeof type !== 'string' || !type.includes('SystemAssigned')) out.push({ rule: 'eventgrid.identity', resource: label(topic), message: `identity.type must be SystemAssigned, is ${show(type)}` });
        for (const sub of childrenOf(t, topic, 'eventSubscriptions')) {
          if (get(sub.value, 'properties.deliveryWithResourceIdentity') === undefined) {
            out.push({ rule: 'eventgrid.identity', resource: label(sub), message: 'must deliver with properties.deliveryWithResourceIdentity' });
          }
        }
      }
      return out;
    },
  },
  {
    id: 'outputs.noSecrets',
    description: 'no output carries a secret (listKeys, connection strings, keys, secure outputs)',
    check(t) {
      return t.outputs.flatMap((o) => {
        const text = JSON.stringify(o.raw);
        if (/^secure/i.test(o.type)) return [{ rule: 'outputs.noSecrets', resource: label(o), message: `is a ${o.type}` }];
        if (SECRET_PATTERN.test(text) || SECRET_PATTERN.test(o.name)) return [{ rule: 'outputs.noSecrets', resource: label(o), message: `may carry a secret: ${text}` }];
        return [];
      });
    },
  },
];

/** Every violation of every rule. */
export function checkAll(t: Flattened): Violation[] {
  return RULES.flatMap((rule) => rule.check(t));
}
