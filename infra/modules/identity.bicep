// The one user-assigned managed identity LAG runs as: the function app uses it
// for storage (host and genomes), Cosmos DB, Application Insights and the
// deployment package. No keys, no connection strings with secrets.

@description('Name of the managed identity.')
param name string

@description('Azure region (France only, checked by main.bicep).')
param location string

@description('Tags of every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
