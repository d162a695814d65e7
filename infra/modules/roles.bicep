// Data-plane roles: who may touch the data, and nothing more. Each assignment
// is named with guid(scope, identity or principal, role) so a redeployment finds it again;
// the comment above each one names the built-in role.

@description('Name of the managed identity the function app runs as.')
param identityName string

@description('Name of the storage account of the Functions host and the durable task hub.')
param hostStorageAccountName string

@description('Name of the genomes storage account.')
param genomesStorageAccountName string

@description('Container of raw genomes (uploads).')
param genomesContainerName string

@description('Name of the Cosmos DB account.')
param cosmosAccountName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Object ids of the Entra ID users or groups that upload genomes.')
param genomeUploaderPrincipalIds array

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  cosmosDbBuiltInDataContributor: '00000000-0000-0000-0000-000000000002'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: hostStorageAccountName
}

resource genomesStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: genomesStorageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource genomes 'containers' existing = {
      name: genomesContainerName
    }
  }
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = {
  name: cosmosAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Storage Blob Data Owner: the Functions host keeps its keys, leases and the
// durable task hub's large messages in blobs, and reads the deployment package.
resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, roles.storageBlobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Contributor: the durable task hub's control and work-item queues.
resource hostQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, roles.storageQueueDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Table Data Contributor: the durable task hub's history and instance tables.
resource hostTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, roles.storageTableDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageTableDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Blob Data Contributor: read genomes, write results.
resource genomesBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(genomesStorage.id, identity.id, roles.storageBlobDataContributor)
  scope: genomesStorage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Contributor: read and delete genome-events messages (queue trigger).
resource genomesQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(genomesStorage.id, identity.id, roles.storageQueueDataContributor)
  scope: genomesStorage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Monitoring Metrics Publisher: send telemetry to Application Insights with Entra ID (local auth is off).
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Cosmos DB Built-in Data Contributor: read and write sample records and SV calls (data plane only).
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, roles.cosmosDbBuiltInDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${roles.cosmosDbBuiltInDataContributor}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// Storage Blob Data Contributor: the people (or groups) who upload genomes, on
// the genomes container only.
resource uploaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in genomeUploaderPrincipalIds: {
    name: guid(genomesStorage::blobService::genomes.id, principalId, roles.storageBlobDataContributor)
    scope: genomesStorage::blobService::genomes
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roles.storageBlobDataContributor
      )
      principalId: principalId
    }
  }
]
