// Entry point for azd (subscription scope): resource group + the portal's resources as local modules.
// Native resource declarations only (no registry modules or Bicep extensions: they cannot be restored offline).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every resource (must offer Flex Consumption).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user or service principal (azd passes AZURE_PRINCIPAL_ID); empty skips their role assignments.')
param principalId string = ''

@description('Type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@minLength(1)
@description('Client id of the Entra app registration used by Easy Auth (created by infra/scripts/create-entra-app.sh).')
param entraClientId string

@minLength(1)
@description('Mailbox (UPN/email) that the portal sends mail from; several separated by commas spread large campaigns over them, each within its own Exchange limits (30 messages a minute, 10,000 recipients a day).')
param graphSenderMailbox string

@minLength(1)
@description('Planner plan id for corrective tasks.')
param plannerPlanId string

@minLength(1)
@description('Planner bucket id for corrective tasks.')
param plannerBucketId string

@description('Public base URL of the portal for vendor links; empty: https://<function app>.azurewebsites.net.')
param portalBaseUrl string = ''

@minLength(3)
@description('Mailbox vendors write to with questions (shown in mails and on the vendor pages).')
param contactEmail string

@description('When survey planning runs (NCRONTAB, UTC; Flex Consumption has no time-zone setting). Default: hourly at :05, so a newly approved subcontractor gets its request within the hour.')
param planningSchedule string = '0 5 * * * *'

@description('When reminders and overdue escalations run (NCRONTAB, UTC). Default 09:30 in Japan.')
param reminderSchedule string = '0 30 0 * * *'

@description('When the mail outbox sweep runs (NCRONTAB, UTC): it re-drives deferred or abandoned mail and re-queues lost invitations. Default: every 2 minutes.')
param mailSweepSchedule string = '0 */2 * * * *'

@description('Memory per Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum number of Flex Consumption instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Days a blob in the sealed container stays immutable (default immutability policy of that container).')
@minValue(1)
param sealedRetentionDays int = 1825

// A fresh value on every provision, so each provision writes a new secret version: that is the rotation
// mechanism (the app keeps verifying with older versions). Two GUIDs give more than 128 bits of randomness.
@secure()
@description('Value of the portal signing key secret. Leave unset: a new random value is generated on every provision.')
param signingKeyValue string = '${newGuid()}${newGuid()}'

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
// Same pattern as the official Flex templates.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var signingKeySecretName = 'portal-signing-key'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    sealedRetentionDays: sealedRetentionDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    name: take('${abbrs.keyVaultVaults}${resourceToken}', 24)
    location: location
    tags: tags
    signingKeySecretName: signingKeySecretName
    signingKeyValue: signingKeyValue
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: resourceGroup
  params: {
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: resourceGroup
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    appTags: union(tags, { 'azd-service-name': 'portal' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultUri: keyVault.outputs.uri
    signingKeySecretName: signingKeySecretName
    entraClientId: entraClientId
    graphSenderMailboxes: graphSenderMailbox
    plannerPlanId: plannerPlanId
    plannerBucketId: plannerBucketId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    portalBaseUrl: empty(portalBaseUrl) ? 'https://${functionAppName}.azurewebsites.net' : portalBaseUrl
    contactEmail: contactEmail
    planningSchedule: planningSchedule
    reminderSchedule: reminderSchedule
    mailSweepSchedule: mailSweepSchedule
  }
  // The identity needs its storage/Key Vault/App Insights roles before the app starts and its package is deployed.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_PORTAL_NAME string = functionApp.outputs.name
output SERVICE_PORTAL_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
