// Ingestion: an Event Grid system topic on the genomes account delivers every
// BlobCreated event of the `genomes` container to the storage queue
// `genome-events`, which the function `genomeEvents` reads. The topic uses its
// own system-assigned identity (the only kind Event Grid can use to reach a
// storage account closed to the public network, through the trusted-services
// exception), with the one role it needs on that one queue.

@description('Name of the Event Grid system topic.')
param name string

@description('Name of the event subscription.')
param subscriptionName string

@description('Azure region (France only, checked by main.bicep).')
param location string

@description('Tags of every resource.')
param tags object

@description('Name of the genomes storage account (the events\' source and destination).')
param storageAccountName string

@description('Container whose uploads start an analysis.')
param containerName string

@description('Queue the events are delivered to.')
param queueName string

@description('Resource id of the Log Analytics workspace that receives the diagnostics.')
param logAnalyticsWorkspaceId string

var roles = {
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource queue 'queues' existing = {
      name: queueName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// Storage Queue Data Message Sender: the topic's identity may add messages to
// the genome-events queue, nothing else.
resource queueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::queue.id, topic.id, roles.storageQueueDataMessageSender)
  scope: storage::queueService::queue
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataMessageSender
    )
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource genomeUploads 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: subscriptionName
  dependsOn: [
    queueSender
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storage.id
          queueName: queueName
          // Seven days: longer than any outage the queue trigger should survive.
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'send-to-log-analytics'
  scope: topic
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

output id string = topic.id
output name string = topic.name
