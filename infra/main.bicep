// LAG on Azure, HDS-compliant: deployed by `azd up` (see docs/deploy.md).
// One resource group in France; every data service reachable only over the
// private network and only by identities with a role; every resource's logs
// in Log Analytics. test/infra/ checks these rules on the compiled template.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment: part of every resource name and the azd-env-name tag.')
param environmentName string

// HDS: genomes stay in France.
@allowed([
  'francecentral'
  'francesouth'
])
@description('Azure region of every resource: France Central or France South only.')
param location string

@description('Client id of the Entra ID app registration that protects the API (its tokens\' audience). See docs/deploy.md.')
param apiClientId string

@description('Object ids of the Entra ID users or groups allowed to upload genomes (Storage Blob Data Contributor on the genomes container).')
param genomeUploaderPrincipalIds array = []

@description('Days each version of a raw genome stays immutable (write once, read many); 0 = off. Beware: while it runs, a genome cannot be deleted, not even on a patient\'s request.')
@minValue(0)
@maxValue(3650)
param genomeImmutabilityDays int = 0

@description('Days a deleted blob (genome, result) or container can still be restored.')
@minValue(7)
@maxValue(365)
param blobSoftDeleteDays int = 30

@description('Days Log Analytics keeps the logs (the access trace).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 365

@description('Replication of the storage accounts; ZRS needs availability zones (France Central), use LRS or GRS in France South.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_ZRS'

@description('Address space of the virtual network.')
param vnetAddressPrefix string = '10.60.0.0/16'

@description('Whether the API answers from the internet (Entra ID still required) or only from the private network.')
@allowed([
  'Enabled'
  'Disabled'
])
param apiPublicNetworkAccess string = 'Enabled'

@description('Instances kept warm for the durable group (orchestrator and activities); 0 lets the app scale to zero.')
@minValue(0)
@maxValue(20)
param alwaysReadyDurableInstances int = 1

@description('Most instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Seconds to wait for <sample>.bam.bai after the BAM arrives (LAG_INDEX_WAIT_SECONDS).')
@minValue(0)
param indexWaitSeconds int = 3600

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

// Every name is known before deployment (modules get names, not outputs), so
// what-if predicts the whole deployment.
var names = {
  resourceGroup: '${abbrs.resourcesResourceGroups}${environmentName}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  appInsights: '${abbrs.insightsComponents}${resourceToken}'
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  vnet: '${abbrs.networkVirtualNetworks}${resourceToken}'
  appNsg: '${abbrs.networkNetworkSecurityGroups}${resourceToken}-app'
  privateEndpointNsg: '${abbrs.networkNetworkSecurityGroups}${resourceToken}-pe'
  hostStorage: '${abbrs.storageStorageAccounts}${resourceToken}host'
  genomesStorage: '${abbrs.storageStorageAccounts}${resourceToken}data'
  cosmos: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  systemTopic: '${abbrs.eventGridSystemTopics}${resourceToken}'
  eventSubscription: '${abbrs.eventGridEventSubscriptions}genome-uploads'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}${resourceToken}'
}
var tags = {
  'azd-env-name': environmentName
  'data-classification': 'health-data-hds'
}

// Names the code uses (shared/contracts.ts: CONTAINERS, QUEUES, COSMOS;
// functions/adapters/cosmos.ts: PARTITION_KEY_PATH). test/infra checks them.
var serviceName = 'api'
var genomesContainerName = 'genomes'
var resultsContainerName = 'results'
var genomeEventsQueueName = 'genome-events'
var deploymentContainerName = 'app-package'
var cosmosDatabaseName = 'lag'
var cosmosContainers = [
  {
    name: 'samples'
    partitionKeyPath: '/sampleId'
  }
  {
    name: 'svCalls'
    partitionKeyPath: '/sampleId'
  }
  {
    name: 'reviews'
    partitionKeyPath: '/sampleId'
  }
  {
    // Append-only audit trail (the app only creates and queries entries).
    name: 'audit'
    partitionKeyPath: '/sampleId'
  }
]

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: rg
  params: {
    name: names.vnet
    location: location
    tags: tags
    addressPrefix: vnetAddressPrefix
    appNsgName: names.appNsg
    privateEndpointNsgName: names.privateEndpointNsg
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module hostStorage 'modules/storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: names.hostStorage
    location: location
    tags: tags
    skuName: storageSkuName
    containers: [
      deploymentContainerName
    ]
    tableService: true
    dataProtection: false
    deleteRetentionDays: 7
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneIds: network.outputs.privateDnsZoneIds
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module genomesStorage 'modules/storage.bicep' = {
  name: 'genomes-storage'
  scope: rg
  params: {
    name: names.genomesStorage
    location: location
    tags: tags
    skuName: storageSkuName
    containers: [
      genomesContainerName
      resultsContainerName
    ]
    queues: [
      genomeEventsQueueName
    ]
    tableService: false
    dataProtection: true
    deleteRetentionDays: blobSoftDeleteDays
    immutableContainers: [
      genomesContainerName
    ]
    immutabilityDays: genomeImmutabilityDays
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneIds: network.outputs.privateDnsZoneIds
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: names.cosmos
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    containers: cosmosContainers
    svCallsContainerName: 'svCalls'
    auditContainerName: 'audit'
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.privateDnsZoneIds.cosmos
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.privateDnsZoneIds.vault
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'event-grid'
  scope: rg
  params: {
    name: names.systemTopic
    subscriptionName: names.eventSubscription
    location: location
    tags: tags
    storageAccountName: names.genomesStorage
    containerName: genomesContainerName
    queueName: genomeEventsQueueName
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
  dependsOn: [
    genomesStorage
  ]
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    identityName: names.identity
    hostStorageAccountName: names.hostStorage
    genomesStorageAccountName: names.genomesStorage
    genomesContainerName: genomesContainerName
    cosmosAccountName: names.cosmos
    appInsightsName: names.appInsights
    genomeUploaderPrincipalIds: genomeUploaderPrincipalIds
  }
  dependsOn: [
    identity
    monitoring
    hostStorage
    genomesStorage
    cosmos
  ]
}

module api 'modules/functionApp.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: serviceName
    identityName: names.identity
    hostStorageAccountName: names.hostStorage
    deploymentContainerName: deploymentContainerName
    genomesStorageAccountName: names.genomesStorage
    cosmosAccountName: names.cosmos
    appInsightsName: names.appInsights
    appSubnetId: network.outputs.appSubnetId
    apiClientId: apiClientId
    publicNetworkAccess: apiPublicNetworkAccess
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
    maximumInstanceCount: maximumInstanceCount
    analysisSettings: {
      LAG_INDEX_WAIT_SECONDS: indexWaitSeconds
    }
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
  dependsOn: [
    identity
    hostStorage
    genomesStorage
    cosmos
    roles
  ]
}

// azd reads these into the environment (.azure/<env>/.env). Names and
// endpoints only: no key, no connection string.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_GENOMES_STORAGE_ACCOUNT string = genomesStorage.outputs.name
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.logAnalyticsId
