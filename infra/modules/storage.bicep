// A storage account that only identities with a role can reach, only over the
// private network: no shared keys, no anonymous blobs, TLS 1.2, HTTPS only,
// public network access disabled (private endpoints for each service used),
// soft delete of blobs and containers, every service's logs to Log Analytics.
// Used twice: the Functions host's account (durable task hub, keys, the
// deployment package) and the genomes account (uploads and results), which
// also keeps versions and a change feed and can make raw genomes immutable.

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region (France only, checked by main.bicep).')
param location string

@description('Tags of every resource.')
param tags object

@description('Replication: ZRS where the region has zones (France Central), LRS or GRS otherwise. Every option keeps the data in France (France Central pairs with France South).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob containers to create (all private).')
param containers array = []

@description('Queues to create.')
param queues array = []

@description('Whether the table service is used (the Functions host and the durable task hub need it).')
param tableService bool = false

@description('Data account: blob versioning and change feed on, so every genome and result can be traced and restored.')
param dataProtection bool = false

@description('Days a deleted blob or container can be restored.')
@minValue(7)
@maxValue(365)
param deleteRetentionDays int = 30

@description('Containers whose blob versions become immutable (WORM) for immutabilityDays after they are written; needs dataProtection.')
param immutableContainers array = []

@description('Days a version of a blob in immutableContainers cannot be changed or deleted; 0 turns immutability off.')
@minValue(0)
param immutabilityDays int = 0

@description('Resource id of the private-endpoint subnet.')
param privateEndpointSubnetId string

@description('Private DNS zone ids by service (blob, queue, table).')
param privateDnsZoneIds object

@description('Resource id of the Log Analytics workspace that receives the diagnostics.')
param logAnalyticsWorkspaceId string

var immutable = dataProtection && immutabilityDays > 0
var services = concat(
  [
    'blob'
    'queue'
  ],
  tableService
    ? [
        'table'
      ]
    : []
)

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      // Trusted Azure services only (Event Grid's system-assigned identity
      // delivers BlobCreated events to the queue through this exception).
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      ipRules: []
      virtualNetworkRules: []
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        file: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
    immutableStorageWithVersioning: {
      enabled: immutable
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
    isVersioningEnabled: dataProtection
    changeFeed: {
      enabled: dataProtection
    }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
      immutableStorageWithVersioning: {
        enabled: immutable && contains(immutableContainers, container)
      }
    }
  }
]

// Default version-level retention of the immutable containers: each version
// of a raw genome stays unchangeable for immutabilityDays.
resource immutabilityPolicies 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2025-01-01' = [
  for (container, i) in containers: if (immutable && contains(immutableContainers, container)) {
    parent: blobContainers[i]
    name: 'default'
    properties: {
      immutabilityPeriodSinceCreationInDays: immutabilityDays
      allowProtectedAppendWrites: false
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

resource tableServiceResource 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = if (tableService) {
  parent: storage
  name: 'default'
}

module endpoints 'privateEndpoint.bicep' = [
  for service in services: {
    name: '${name}-pe-${service}'
    params: {
      name: 'pep-${name}-${service}'
      location: location
      tags: tags
      subnetId: privateEndpointSubnetId
      privateLinkServiceId: storage.id
      groupId: service
      privateDnsZoneId: privateDnsZoneIds[service]
    }
  }
]

// Diagnostics: the account itself has metrics only; each service has the
// read/write/delete logs (who touched which blob or message, and when).
resource storageDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'send-to-log-analytics'
  scope: storage
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'send-to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'send-to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (tableService) {
  name: 'send-to-log-analytics'
  scope: tableServiceResource
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

output id string = storage.id
output name string = storage.name
