// One private endpoint for one sub-resource (blob, queue, table, Sql, vault)
// of a data service, registered in the matching private DNS zone.

@description('Name of the private endpoint.')
param name string

@description('Azure region (France only, checked by main.bicep).')
param location string

@description('Tags of every resource.')
param tags object

@description('Resource id of the private-endpoint subnet.')
param subnetId string

@description('Resource id of the service the endpoint reaches.')
param privateLinkServiceId string

@description('Sub-resource of the service: blob, queue, table, Sql or vault.')
param groupId string

@description('Resource id of the private DNS zone of that sub-resource.')
param privateDnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: privateLinkServiceId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }
}

resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2025-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

output id string = endpoint.id
