// Storage account for the Functions host (AzureWebJobsStorage), the Flex deployment package and the app's data.
// The app's tables/queues/containers come from ../storage-resources.json, the single list the app's tests also read.
@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the storage account.')
param tags object

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Days a blob in the sealed container stays immutable (container default immutability policy).')
@minValue(1)
param sealedRetentionDays int

var storageResources = loadJsonContent('../storage-resources.json')
var sealedContainerName = 'sealed'
var containerNames = union([deploymentContainerName], storageResources.containers)

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Identity-only access: the function app and the deploying user authenticate with Entra ID.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    // Versioning is required for version-level immutability on the sealed container.
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: 14
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 14
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: containerName == sealedContainerName
      ? {
          publicAccess: 'None'
          // Version-level WORM: can only be switched on when the container is created.
          immutableStorageWithVersioning: {
            enabled: true
          }
        }
      : {
          publicAccess: 'None'
        }
  }
]

resource sealedContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: blobService
  name: sealedContainerName
}

// Left Unlocked on purpose: lock it by hand once the retention is agreed; a locked policy cannot be shortened or removed.
resource sealedImmutabilityPolicy 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2025-01-01' = if (contains(
  storageResources.containers,
  sealedContainerName
)) {
  parent: sealedContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: sealedRetentionDays
    allowProtectedAppendWrites: false
  }
  dependsOn: [
    containers
  ]
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: storageAccount
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for tableName in storageResources.tables: {
    parent: tableService
    name: tableName
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: storageAccount
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for queueName in storageResources.queues: {
    parent: queueService
    name: queueName
  }
]

@description('Name of the storage account.')
output name string = storageAccount.name

@description('Primary blob endpoint (ends with a slash).')
output blobEndpoint string = storageAccount.properties.primaryEndpoints.blob

@description('Primary queue endpoint.')
output queueEndpoint string = storageAccount.properties.primaryEndpoints.queue

@description('Primary table endpoint.')
output tableEndpoint string = storageAccount.properties.primaryEndpoints.table
