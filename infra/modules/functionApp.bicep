// The LAG function app: Flex Consumption, Node.js 22, 2048 MB instances, one
// instance always ready for the durable group (orchestrator and activities),
// outbound traffic through the VNet (so it reaches the data services' private
// endpoints), the user-assigned identity for everything (host storage,
// genomes, Cosmos DB, Application Insights, the deployment package), Entra ID
// authentication in front of the API (unauthenticated calls get 401), HTTPS
// and TLS 1.2 only, no FTP, no basic-auth publishing.

@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region (France only, checked by main.bicep).')
param location string

@description('Tags of every resource.')
param tags object

@description('azd service name of the app (azure.yaml services.<name>).')
param serviceName string

@description('Name of the user-assigned managed identity the app runs as.')
param identityName string

@description('Name of the storage account of the Functions host and the durable task hub.')
param hostStorageAccountName string

@description('Container of the host account that holds the deployment package.')
param deploymentContainerName string

@description('Name of the genomes storage account.')
param genomesStorageAccountName string

@description('Name of the Cosmos DB account.')
param cosmosAccountName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Resource id of the subnet for VNet integration (delegated to Microsoft.App/environments).')
param appSubnetId string

@description('Client id of the Entra ID app registration that protects the API.')
param apiClientId string

@description('Whether the API answers from the internet (Entra ID still required) or only from the private network.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Instances kept warm for the durable group (0 to scale to zero).')
@minValue(0)
param alwaysReadyDurableInstances int

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Analysis settings (LAG_* of shared/analysisSettings.ts) as name-value pairs; the others keep their defaults.')
param analysisSettings object

@description('Resource id of the Log Analytics workspace that receives the diagnostics.')
param logAnalyticsWorkspaceId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: hostStorageAccountName
}

resource genomesStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: genomesStorageAccountName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = {
  name: cosmosAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Identity-based connections: <connection>__<service>ServiceUri with
// credential=managedidentity and the identity's client id (no keys).
var baseSettings = [
  // Functions host and durable task hub (host.json: hub "lag").
  { name: 'AzureWebJobsStorage__blobServiceUri', value: hostStorage.properties.primaryEndpoints.blob }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: hostStorage.properties.primaryEndpoints.queue }
  { name: 'AzureWebJobsStorage__tableServiceUri', value: hostStorage.properties.primaryEndpoints.table }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
  // Genomes and results (functions/adapters/settings.ts), and the queue
  // trigger's connection GENOMES_STORAGE (functions/genomeEvents.ts).
  { name: 'GENOMES_STORAGE__blobServiceUri', value: genomesStorage.properties.primaryEndpoints.blob }
  { name: 'GENOMES_STORAGE__queueServiceUri', value: genomesStorage.properties.primaryEndpoints.queue }
  { name: 'GENOMES_STORAGE__credential', value: 'managedidentity' }
  { name: 'GENOMES_STORAGE__clientId', value: identity.properties.clientId }
  // Cosmos DB (functions/adapters/cosmos.ts).
  { name: 'COSMOS__accountEndpoint', value: cosmos.properties.documentEndpoint }
  // The identity the code's credentials use.
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  // Telemetry, sent with the identity (the component refuses its key).
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  }
]

var lagSettings = [for setting in items(analysisSettings): { name: setting.key, value: string(setting.value) }]

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: publicNetworkAccess
    virtualNetworkSubnetId: appSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(baseSettings, lagSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyDurableInstances > 0
          ? [
              {
                name: 'durable'
                instanceCount: alwaysReadyDurableInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// No FTP and no basic-auth (publishing profile) deployments: azd deploys with
// Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

// Entra ID in front of every route but the health probe: a call without a
// valid token for the API's app registration gets 401. Behind it the app reads
// the user and their app roles (biologist, admin) from x-ms-client-principal
// and answers 403 without the role (shared/identity.ts); no function keys.
resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/api/health'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: apiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${apiClientId}'
            apiClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'send-to-log-analytics'
  scope: app
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
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = app.id
output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
