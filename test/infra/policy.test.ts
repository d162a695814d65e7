/**
 * HDS policy tests: infra/main.bicep, compiled by the Bicep CLI, meets every
 * rule of test/infra/policy.ts for every resource of each type, in every
 * module. A failure names the resource and the rule it breaks.
 * Needs the Bicep CLI (bash scripts/install-bicep.sh): fails without it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Flattened, flatten } from './arm';
import { compileBicep, MAIN_BICEP, ROOT } from './bicep';
import { checkAll, DIAGNOSABLE_TYPES, formatViolation, KNOWN_ROLES, ofType, RULES } from './policy';

let t: Flattened;

beforeAll(() => {
  t = flatten(compileBicep(MAIN_BICEP));
});

describe('infra/main.bicep meets the HDS rules', () => {
  it.each(RULES.map((rule) => [rule.id, rule.description, rule] as const))('%s: %s', (_id, _description, rule) => {
    expect(rule.check(t).map(formatViolation)).toEqual([]);
  });

  it('has the resources the rules are about, so that no rule passes on nothing', () => {
    const count = (type: string) => ofType(t, type).length;
    expect({
      storageAccounts: count('Microsoft.Storage/storageAccounts'),
      blobServices: count('Microsoft.Storage/storageAccounts/blobServices'),
      cosmosAccounts: count('Microsoft.DocumentDB/databaseAccounts'),
      keyVaults: count('Microsoft.KeyVault/vaults'),
      functionApps: count('Microsoft.Web/sites'),
      appInsights: count('Microsoft.Insights/components'),
      workspaces: count('Microsoft.OperationalInsights/workspaces'),
      systemTopics: count('Microsoft.EventGrid/systemTopics'),
      virtualNetworks: count('Microsoft.Network/virtualNetworks'),
      // blob, queue, table (host); blob, queue (genomes); Sql; vault.
      privateEndpoints: count('Microsoft.Network/privateEndpoints'),
      privateDnsZones: count('Microsoft.Network/privateDnsZones'),
      identities: count('Microsoft.ManagedIdentity/userAssignedIdentities'),
      cosmosRoleAssignments: count('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments'),
    }).toEqual({
      storageAccounts: 2,
      blobServices: 2,
      cosmosAccounts: 1,
      keyVaults: 1,
      functionApps: 1,
      appInsights: 1,
      workspaces: 1,
      systemTopics: 1,
      virtualNetworks: 1,
      privateEndpoints: 7,
      privateDnsZones: 5,
      identities: 1,
      cosmosRoleAssignments: 1,
    });
    expect(count('Microsoft.Authorization/roleAssignments')).toBeGreaterThanOrEqual(7);
    expect(checkAll(t).map(formatViolation)).toEqual([]);
  });

  it('every resource type of the template is covered by a rule or has a stated reason not to be', () => {
    // Types no HDS rule of point 3 applies to, and why.
    const noRule: Record<string, string> = {
      'Microsoft.Resources/resourceGroups': 'container of the resources (location checked)',
      'Microsoft.Resources/deployments': 'modules: their resources are checked',
      'Microsoft.Insights/diagnosticSettings': 'the diagnostics themselves',
      'Microsoft.Authorization/roleAssignments': 'checked by roles.names',
      'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments': 'checked by roles.names',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases': 'data-plane objects of the account (account rules apply)',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers': 'data-plane objects of the account (account rules apply)',
      'Microsoft.Storage/storageAccounts/blobServices/containers': 'checked by storage.containerPrivate',
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies': 'WORM retention, optional',
      'Microsoft.Storage/storageAccounts/queueServices/queues': 'data-plane objects of the account (account rules apply)',
      'Microsoft.Network/privateEndpoints': 'checked by privateEndpoints (metrics only, no logs)',
      'Microsoft.Network/privateEndpoints/privateDnsZoneGroups': 'checked by privateEndpoints',
      'Microsoft.Network/privateDnsZones': 'global name resolution inside the VNet, holds no data, has no logs',
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks': 'link of a DNS zone to the VNet',
      'Microsoft.ManagedIdentity/userAssignedIdentities': 'identity (no logs of its own; sign-ins are in Entra ID)',
      'Microsoft.Web/serverfarms': 'Flex Consumption plan: metrics only, no logs, holds no data',
      'Microsoft.Web/sites/basicPublishingCredentialsPolicies': 'checked by functionapp.https',
      'Microsoft.Web/sites/config': 'checked by functionapp.auth',
      'Microsoft.EventGrid/systemTopics/eventSubscriptions': 'checked by eventgrid.identity',
    };
    const ruled = new Set([
      ...Object.keys(DIAGNOSABLE_TYPES),
      'Microsoft.DocumentDB/databaseAccounts',
      'Microsoft.KeyVault/vaults',
      'Microsoft.Web/sites',
    ]);
    const types = [...new Set(t.resources.map((r) => r.type))].sort();
    const uncovered = types.filter((type) => !ruled.has(type) && !(type in noRule));
    expect(uncovered).toEqual([]);
  });

  it('names the built-in role in a comment above each role assignment of the Bicep source', () => {
    const files = [MAIN_BICEP, ...readdirSync(path.join(ROOT, 'infra', 'modules')).filter((f) => f.endsWith('.bicep')).map((f) => path.join(ROOT, 'infra', 'modules', f))];
    const problems: string[] = [];
    let seen = 0;
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/^resource \w+ 'Microsoft\.(Authorization\/roleAssignments|DocumentDB\/databaseAccounts\/sqlRoleAssignments)@/.test(line)) return;
        seen++;
        const comment: string[] = [];
        for (let j = i - 1; j >= 0 && lines[j]!.trim().startsWith('//'); j--) comment.unshift(lines[j]!);
        const text = comment.join(' ');
        if (!Object.values(KNOWN_ROLES).some((role) => text.includes(role))) {
          problems.push(`${path.relative(ROOT, file)}:${i + 1}: no comment naming the role above ${line.trim()}`);
        }
      });
    }
    expect(problems).toEqual([]);
    expect(seen).toBe(ofType(t, 'Microsoft.Authorization/roleAssignments').length + ofType(t, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments').length);
  });
});
