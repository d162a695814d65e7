/**
 * The rules catch what they must: a deliberately broken template
 * (fixtures/broken.bicep, compiled here) breaks every rule, and each
 * violation names its resource; and breaking one property of the real
 * template (in its compiled JSON) makes exactly the rule about it fail, on
 * the resource that was broken.
 * Needs the Bicep CLI (bash scripts/install-bicep.sh): fails without it.
 */
import path from 'node:path';
import { flatten, type Json, type Template } from './arm';
import { compileBicep, MAIN_BICEP } from './bicep';
import { checkAll, formatViolation, RULES, type Violation } from './policy';

const BROKEN = path.join(__dirname, 'fixtures', 'broken.bicep');

type RawResource = { [key: string]: Json };

/** Every resource of a compiled template, nested templates included, as written (mutable). */
function rawResources(template: Template): RawResource[] {
  const list = (Array.isArray(template.resources) ? template.resources : Object.values(template.resources)) as RawResource[];
  return list.flatMap((r) => {
    const inner = (r.properties as { template?: Template } | undefined)?.template;
    return inner ? [r, ...rawResources(inner)] : [r];
  });
}

function nestedTemplate(template: Template, moduleName: string): Template {
  const deployment = rawResources(template).find((r) => r.type === 'Microsoft.Resources/deployments' && r.name === moduleName);
  if (!deployment) throw new Error(`no module ${moduleName}`);
  return (deployment.properties as unknown as { template: Template }).template;
}

function resourceOf(template: Template, type: string, moduleName?: string): RawResource {
  const where = moduleName ? nestedTemplate(template, moduleName) : template;
  const found = rawResources(where).filter((r) => r.type === type);
  if (found.length === 0) throw new Error(`no ${type}${moduleName ? ` in module ${moduleName}` : ''}`);
  return found[0]!;
}

function props(r: RawResource): { [key: string]: Json } {
  return r.properties as { [key: string]: Json };
}

const violationsOf = (template: Template): Violation[] => checkAll(flatten(template));

describe('the rules catch a deliberately broken template (fixtures/broken.bicep)', () => {
  let violations: string[];

  beforeAll(() => {
    violations = violationsOf(compileBicep(BROKEN)).map(formatViolation);
  });

  it('every rule finds something wrong in it', () => {
    const fired = new Set(violations.map((v) => v.split(':')[0]));
    expect(RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  it.each([
    ['location.parameter', "parameter location: must be @allowed to francecentral, francesouth only"],
    ['location.france', "Microsoft.Storage/storageAccounts 'stbrokendata': location must be a French region, is the deployment-time value parameters('location')"],
    ['location.france', "Microsoft.DocumentDB/databaseAccounts 'cosmos-broken': replica location must be a French region, is \"westeurope\""],
    ['storage.sharedKey', "Microsoft.Storage/storageAccounts 'stbrokendata': properties.allowSharedKeyAccess must be false, is true"],
    ['storage.blobPublicAccess', "Microsoft.Storage/storageAccounts 'stbrokendata': properties.allowBlobPublicAccess must be false, is true"],
    ['storage.tls', "Microsoft.Storage/storageAccounts 'stbrokendata': properties.minimumTlsVersion must be \"TLS1_2\", is \"TLS1_0\""],
    ['storage.httpsOnly', "Microsoft.Storage/storageAccounts 'stbrokendata': properties.supportsHttpsTrafficOnly must be true, is false"],
    ['storage.publicNetwork', "Microsoft.Storage/storageAccounts 'stbrokendata': properties.publicNetworkAccess must be \"Disabled\", is \"Enabled\""],
    ['storage.publicNetwork', "Microsoft.Storage/storageAccounts 'stbrokenswitch': properties.publicNetworkAccess must be \"Disabled\", is the deployment-time value parameters('storagePublicAccess')"],
    ['storage.firewall', "Microsoft.Storage/storageAccounts 'stbrokendata': properties.networkAcls.defaultAction must be \"Deny\", is \"Allow\""],
    ['storage.softDelete', "Microsoft.Storage/storageAccounts/blobServices 'stbrokendata/default': properties.deleteRetentionPolicy.enabled must be true, is absent"],
    ['storage.softDelete', "Microsoft.Storage/storageAccounts 'stbrokenswitch': has no blobServices/default settings, so no soft delete"],
    ['storage.versioning', "Microsoft.Storage/storageAccounts/blobServices 'stbrokendata/default': properties.isVersioningEnabled must be true on the genomes account, is false"],
    ['storage.containerPrivate', "Microsoft.Storage/storageAccounts/blobServices/containers 'stbrokendata/default/genomes': properties.publicAccess must be \"None\", is \"Blob\""],
    ['cosmos.localAuth', "Microsoft.DocumentDB/databaseAccounts 'cosmos-broken': properties.disableLocalAuth must be true, is false"],
    ['cosmos.publicNetwork', "Microsoft.DocumentDB/databaseAccounts 'cosmos-broken': properties.publicNetworkAccess must be \"Disabled\", is \"Enabled\""],
    ['cosmos.tls', "Microsoft.DocumentDB/databaseAccounts 'cosmos-broken': properties.minimalTlsVersion must be \"Tls12\", is \"Tls\""],
    ['cosmos.backup', "Microsoft.DocumentDB/databaseAccounts 'cosmos-broken': properties.backupPolicy.type must be \"Continuous\", is \"Periodic\""],
    ['keyvault.rbac', "Microsoft.KeyVault/vaults 'kv-broken': properties.enableRbacAuthorization must be true, is false"],
    ['keyvault.purgeProtection', "Microsoft.KeyVault/vaults 'kv-broken': properties.enablePurgeProtection must be true, is absent"],
    ['keyvault.softDelete', "Microsoft.KeyVault/vaults 'kv-broken': properties.enableSoftDelete must be true, is false"],
    ['keyvault.publicNetwork', "Microsoft.KeyVault/vaults 'kv-broken': properties.publicNetworkAccess must be \"Disabled\", is \"Enabled\""],
    ['appinsights.localAuth', "Microsoft.Insights/components 'appi-broken': properties.DisableLocalAuth must be true, is false"],
    ['loganalytics.localAuth', "Microsoft.OperationalInsights/workspaces 'log-broken': properties.features.disableLocalAuth must be true, is false"],
    ['functionapp.https', "Microsoft.Web/sites 'func-broken': properties.httpsOnly must be true, is false"],
    ['functionapp.https', "Microsoft.Web/sites 'func-broken': properties.siteConfig.minTlsVersion must be \"1.2\", is \"1.0\""],
    ['functionapp.https', "Microsoft.Web/sites 'func-broken': properties.siteConfig.ftpsState must be \"Disabled\", is \"AllAllowed\""],
    ['functionapp.https', "Microsoft.Web/sites 'func-broken': basicPublishingCredentialsPolicies/scm must set allow false, is absent"],
    ['functionapp.vnet', "Microsoft.Web/sites 'func-broken': properties.virtualNetworkSubnetId must be set (VNet integration)"],
    ['functionapp.identity', "Microsoft.Web/sites 'func-broken': identity must be UserAssigned, is \"SystemAssigned\""],
    ['functionapp.identity', "Microsoft.Web/sites 'func-broken': app setting AzureWebJobsStorage carries a key"],
    ['functionapp.identity', "Microsoft.Web/sites 'func-broken': app setting GENOMES_STORAGE__credential must be \"managedidentity\", is \"connectionstring\""],
    ['functionapp.auth', "Microsoft.Web/sites 'func-broken': has no config/authsettingsV2"],
    ['privateEndpoints', "Microsoft.Storage/storageAccounts 'stbrokendata': has no private endpoint (with a private DNS zone) for blob"],
    ['privateEndpoints', "Microsoft.DocumentDB/databaseAccounts 'cosmos-broken': has no private endpoint (with a private DNS zone) for Sql"],
    ['privateEndpoints', "Microsoft.KeyVault/vaults 'kv-broken': has no private endpoint (with a private DNS zone) for vault"],
    ['diagnostics', "Microsoft.Storage/storageAccounts 'stbrokendata': has no diagnostic setting"],
    ['diagnostics', "Microsoft.DocumentDB/databaseAccounts 'cosmos-broken': has no diagnostic setting"],
    ['diagnostics', "Microsoft.Insights/components 'appi-broken': has no diagnostic setting"],
    ['diagnostics', "Microsoft.Web/sites 'func-broken': its diagnostic setting must send enabled logs to a Log Analytics workspace of the template"],
    ['roles.names', "Microsoft.Authorization/roleAssignments 'fixed-name': name must be guid(...), is fixed-name"],
    ['roles.names', "Microsoft.Authorization/roleAssignments 'fixed-name': grants an unknown role"],
    ['eventgrid.identity', "Microsoft.EventGrid/systemTopics 'evgst-broken': identity.type must be SystemAssigned, is absent"],
    ['eventgrid.identity', "Microsoft.EventGrid/systemTopics/eventSubscriptions 'evgst-broken/no-identity': must deliver with properties.deliveryWithResourceIdentity"],
    ['outputs.noSecrets', "output 'storageKey': may carry a secret"],
    ['outputs.noSecrets', "output 'cosmosConnectionString': may carry a secret"],
  ])('%s: %s', (rule, expected) => {
    const found = violations.filter((v) => v.startsWith(`${rule}: `) && v.includes(expected));
    if (found.length === 0) throw new Error(`expected a violation of ${rule} containing:\n  ${expected}\ngot:\n  ${violations.join('\n  ')}`);
  });
});

describe('breaking one property of infra/main.bicep fails exactly its rule, on that resource', () => {
  let compiled: Template;

  beforeAll(() => {
    compiled = compileBicep(MAIN_BICEP);
    expect(violationsOf(compiled)).toEqual([]);
  });

  const cases: [string, string, (t: Template) => void][] = [
    ['storage.sharedKey', "Microsoft.Storage/storageAccounts 'st‹…›host' (module host-storage)", (t) => {
      props(resourceOf(t, 'Microsoft.Storage/storageAccounts', 'host-storage')).allowSharedKeyAccess = true;
    }],
    ['storage.publicNetwork', "Microsoft.Storage/storageAccounts 'st‹…›data' (module genomes-storage)", (t) => {
      props(resourceOf(t, 'Microsoft.Storage/storageAccounts', 'genomes-storage')).publicNetworkAccess = 'Enabled';
    }],
    ['storage.versioning', "Microsoft.Storage/storageAccounts/blobServices 'st‹…›data/default' (module genomes-storage)", (t) => {
      // The genomes account's module call, in main: dataProtection false.
      const call = props(rawResources(t).find((r) => r.name === 'genomes-storage')!);
      (call.parameters as { [key: string]: Json }).dataProtection = { value: false };
    }],
    ['cosmos.localAuth', "Microsoft.DocumentDB/databaseAccounts 'cosmos-‹…›' (module cosmos)", (t) => {
      props(resourceOf(t, 'Microsoft.DocumentDB/databaseAccounts', 'cosmos')).disableLocalAuth = "[parameters('location')]";
    }],
    ['cosmos.backup', "Microsoft.DocumentDB/databaseAccounts 'cosmos-‹…›' (module cosmos)", (t) => {
      props(resourceOf(t, 'Microsoft.DocumentDB/databaseAccounts', 'cosmos')).backupPolicy = { type: 'Periodic' };
    }],
    ['keyvault.purgeProtection', "Microsoft.KeyVault/vaults 'kv-‹…›' (module key-vault)", (t) => {
      delete props(resourceOf(t, 'Microsoft.KeyVault/vaults', 'key-vault')).enablePurgeProtection;
    }],
    ['appinsights.localAuth', "Microsoft.Insights/components 'appi-‹…›' (module monitoring)", (t) => {
      props(resourceOf(t, 'Microsoft.Insights/components', 'monitoring')).DisableLocalAuth = false;
    }],
    ['functionapp.vnet', "Microsoft.Web/sites 'func-‹…›' (module function-app)", (t) => {
      delete props(resourceOf(t, 'Microsoft.Web/sites', 'function-app')).virtualNetworkSubnetId;
    }],
    ['functionapp.https', "Microsoft.Web/sites 'func-‹…›' (module function-app)", (t) => {
      (props(resourceOf(t, 'Microsoft.Web/sites', 'function-app')).siteConfig as { [key: string]: Json }).ftpsState = 'FtpsOnly';
    }],
    ['functionapp.auth', "Microsoft.Web/sites 'func-‹…›' (module function-app)", (t) => {
      const auth = rawResources(nestedTemplate(t, 'function-app')).find((r) => r.type === 'Microsoft.Web/sites/config')!;
      (props(auth).globalValidation as { [key: string]: Json }).unauthenticatedClientAction = 'AllowAnonymous';
    }],
    ['diagnostics', "Microsoft.KeyVault/vaults 'kv-‹…›' (module key-vault)", (t) => {
      const inner = nestedTemplate(t, 'key-vault');
      inner.resources = (inner.resources as Json[]).filter((r) => (r as RawResource).type !== 'Microsoft.Insights/diagnosticSettings');
    }],
    ['privateEndpoints', "Microsoft.DocumentDB/databaseAccounts 'cosmos-‹…›' (module cosmos)", (t) => {
      const inner = nestedTemplate(t, 'cosmos');
      inner.resources = (inner.resources as Json[]).filter((r) => (r as RawResource).type !== 'Microsoft.Resources/deployments');
    }],
    ['location.parameter', 'parameter location', (t) => {
      t.parameters!.location!.allowedValues = ['francecentral', 'francesouth', 'westeurope'];
    }],
    ['outputs.noSecrets', "output 'cosmosKeys' (module cosmos)", (t) => {
      nestedTemplate(t, 'cosmos').outputs!.cosmosKeys = { type: 'string', value: "[listKeys(resourceId('Microsoft.DocumentDB/databaseAccounts', parameters('name')), '2025-04-15').primaryMasterKey]" };
    }],
  ];

  it.each(cases)('%s on %s', (rule, resource, mutate) => {
    const t = structuredClone(compiled);
    mutate(t);
    const violations = violationsOf(t);
    expect(violations.length).toBeGreaterThan(0);
    // Only that rule fails (the location rule also fails on every resource it governs).
    expect([...new Set(violations.map((v) => v.rule))].filter((r) => r !== rule && !(rule === 'location.parameter' && r === 'location.france'))).toEqual([]);
    expect(violations.filter((v) => v.rule === rule).map((v) => v.resource)).toContain(resource);
  });
});
