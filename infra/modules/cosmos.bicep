// Cosmos DB for NoSQL: the sample records and the SV calls the API serves,
// the biologists' reviews and the append-only audit trail.
// Entra ID only (local auth off: no account keys), reached only through its
// private endpoint, TLS 1.2, continuous backup (point-in-time restore). The
// database and containers are created here: data-plane RBAC cannot create them.

@description('Name of the Cosmos DB account.')
param name string

@description('Azure region (France only, checked by main.bicep).')
param location string

@description('Tags of every resource.')
param tags object

@description('Name of the database (shared/contracts.ts COSMOS.database).')
param databaseName string

@description('Containers: [{ name, partitionKeyPath }]; svCalls gets the indexing policy tuned to the API.')
param containers array

@description('Name of the container of SV calls, queried by GET /api/samples/{id}/svs.')
param svCallsContainerName string

@description('Name of the append-only audit container, queried by GET /api/audit.')
param auditContainerName string

@description('Resource id of the private-endpoint subnet.')
param privateEndpointSubnetId string

@description('Resource id of the private DNS zone privatelink.documents.azure.com.')
param privateDnsZoneId string

@description('Resource id of the Log Analytics workspace that receives the diagnostics.')
param logAnalyticsWorkspaceId string

// SV calls are queried by shared/svQuery.ts: always sampleId (partition key)
// and runId, optionally chromosome, an overlap on start/end, type, a minimum
// svlen and score, filter = 'PASS', always ORDER BY sortKey. Only those paths
// are indexed (calls carry many other fields nobody filters on), with
// composite indexes for the equality filters followed by the sort.
var svCallsIndexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    { path: '/sampleId/?' }
    { path: '/runId/?' }
    { path: '/chromosome/?' }
    { path: '/start/?' }
    { path: '/end/?' }
    { path: '/type/?' }
    { path: '/svlen/?' }
    { path: '/score/?' }
    { path: '/filter/?' }
    { path: '/sortKey/?' }
  ]
  excludedPaths: [
    { path: '/*' }
    { path: '/"_etag"/?' }
  ]
  compositeIndexes: [
    [
      { path: '/sampleId', order: 'ascending' }
      { path: '/runId', order: 'ascending' }
      { path: '/sortKey', order: 'ascending' }
    ]
    [
      { path: '/sampleId', order: 'ascending' }
      { path: '/runId', order: 'ascending' }
      { path: '/chromosome', order: 'ascending' }
      { path: '/sortKey', order: 'ascending' }
    ]
    [
      { path: '/sampleId', order: 'ascending' }
      { path: '/runId', order: 'ascending' }
      { path: '/filter', order: 'ascending' }
      { path: '/sortKey', order: 'ascending' }
    ]
    [
      { path: '/sampleId', order: 'ascending' }
      { path: '/runId', order: 'ascending' }
      { path: '/chromosome', order: 'ascending' }
      { path: '/filter', order: 'ascending' }
      { path: '/sortKey', order: 'ascending' }
    ]
  ]
}

// Audit entries are queried by shared/audit.ts: optionally sampleId
// (partition key), user or userId, action, a range on at; always ORDER BY at
// DESC. Only those paths are indexed (routes, addresses and user agents are
// kept, not searched).
var auditIndexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    { path: '/sampleId/?' }
    { path: '/user/?' }
    { path: '/userId/?' }
    { path: '/action/?' }
    { path: '/at/?' }
  ]
  excludedPaths: [
    { path: '/*' }
    { path: '/"_etag"/?' }
  ]
}

// Sample records are few and small: everything indexed (the list is sorted
// on updatedAt, filtered on status).
var defaultIndexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    { path: '/*' }
  ]
  excludedPaths: [
    { path: '/"_etag"/?' }
  ]
}

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: [
      { name: 'EnableServerless' }
    ]
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    publicNetworkAccess: 'Disabled'
    networkAclBypass: 'None'
    ipRules: []
    isVirtualNetworkFilterEnabled: false
    minimalTlsVersion: 'Tls12'
    enableAutomaticFailover: false
    enableMultipleWriteLocations: false
    enableFreeTier: false
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous30Days'
      }
    }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: {
        id: container.name
        partitionKey: {
          paths: [
            container.partitionKeyPath
          ]
          kind: 'Hash'
          version: 2
        }
        indexingPolicy: container.name == svCallsContainerName
          ? svCallsIndexingPolicy
          : container.name == auditContainerName ? auditIndexingPolicy : defaultIndexingPolicy
      }
    }
  }
]

module endpoint 'privateEndpoint.bicep' = {
  name: '${name}-pe-sql'
  params: {
    name: 'pep-${name}-sql'
    location: location
    tags: tags
    subnetId: privateEndpointSubnetId
    privateLinkServiceId: account.id
    groupId: 'Sql'
    privateDnsZoneId: privateDnsZoneId
  }
}

// Data-plane requests (who read or wrote which item), control-plane changes,
// query statistics.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'send-to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Requests'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
