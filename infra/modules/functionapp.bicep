// Flex Consumption plan + function app (custom handler runtime) + Easy Auth (authsettingsV2) with Entra ID.
@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan.')
param tags object

@description('Tags applied to the function app (must include azd-service-name).')
param appTags object

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Name of the storage account.')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Key Vault URI.')
param keyVaultUri string

@description('Name of the signing key secret in the vault.')
param signingKeySecretName string

@description('Client id of the Entra app registration used by Easy Auth.')
param entraClientId string

@description('Mailboxes (UPN/email) that mail is sent from, separated by commas; each has its own Exchange sending limits.')
param graphSenderMailboxes string

@description('Planner plan id for corrective tasks.')
param plannerPlanId string

@description('Planner bucket id for corrective tasks.')
param plannerBucketId string

@description('Public base URL of the portal, used in the links mailed to vendors.')
param portalBaseUrl string

@description('Mailbox vendors write to with questions (shown in mails and pages).')
param contactEmail string

@description('NCRONTAB (UTC) of the PlanSurveys timer; the Functions host reads it from function.json as %Surveys__PlanningSchedule%.')
param planningSchedule string

@description('NCRONTAB (UTC) of the SendReminders timer (%Surveys__ReminderSchedule%).')
param reminderSchedule string

@description('NCRONTAB (UTC) of the MailOutboxSweep timer (%Mail__SweepSchedule%).')
param mailSweepSchedule string

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Maximum number of instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux plan.
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Without it Key Vault references would try a system-assigned identity, which this app does not have.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION are deliberately absent: Flex takes the runtime from functionAppConfig.
      appSettings: [
        // Host storage, identity-based (the account has shared keys disabled).
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storageAccount.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storageAccount.properties.primaryEndpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storageAccount.properties.primaryEndpoints.table
        }
        // "Storage" connection: read by the app and by queue triggers declaring "connection": "Storage".
        {
          name: 'Storage__credential'
          value: 'managedidentity'
        }
        {
          name: 'Storage__clientId'
          value: identityClientId
        }
        {
          name: 'Storage__blobServiceUri'
          value: storageAccount.properties.primaryEndpoints.blob
        }
        {
          name: 'Storage__queueServiceUri'
          value: storageAccount.properties.primaryEndpoints.queue
        }
        {
          name: 'Storage__tableServiceUri'
          value: storageAccount.properties.primaryEndpoints.table
        }
        // DefaultAzureCredential picks the user-assigned identity through this variable.
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        // App Insights has local auth disabled: telemetry is sent with the identity's Entra token.
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        {
          name: 'Secrets__VaultUri'
          value: keyVaultUri
        }
        {
          name: 'Secrets__SigningKeySecretName'
          value: signingKeySecretName
        }
        // One value, comma-separated: the app reads it as the list Graph:SenderMailboxes.
        {
          name: 'Graph__SenderMailboxes'
          value: graphSenderMailboxes
        }
        {
          name: 'Graph__PlannerPlanId'
          value: plannerPlanId
        }
        {
          name: 'Graph__PlannerBucketId'
          value: plannerBucketId
        }
        {
          name: 'Surveys__PortalBaseUrl'
          value: portalBaseUrl
        }
        {
          name: 'Surveys__ContactEmail'
          value: contactEmail
        }
        // Timer schedules are app settings because the host resolves %…% in function.json from app settings only.
        {
          name: 'Surveys__PlanningSchedule'
          value: planningSchedule
        }
        {
          name: 'Surveys__ReminderSchedule'
          value: reminderSchedule
        }
        {
          name: 'Mail__SweepSchedule'
          value: mailSweepSchedule
        }
        // The host refuses bodies over 100 MB by default; a vendor may post several evidence files at once (the app
        // itself allows Evidence:MaxAssignmentBytes, 200 MiB, plus the form).
        {
          name: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT'
          value: '218103808'
        }
        // Secretless Easy Auth: the identity's token is the client assertion (federated credential on the app registration).
        {
          name: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          value: identityClientId
        }
        {
          name: 'WEBSITE_AUTH_AAD_ALLOWED_TENANTS'
          value: tenant().tenantId
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

// Easy Auth. requireAuthentication is false because vendors open /v/... anonymously with their token link, and
// excludedPaths glob semantics are unconfirmed; so the app itself demands an authenticated principal with a staff role
// on /staff/... and the staff APIs. Easy Auth still validates sessions and strips spoofed X-MS-CLIENT-PRINCIPAL headers.
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
      redirectToProvider: 'azureactivedirectory'
    }
    httpSettings: {
      requireHttps: true
      routes: {
        apiPrefix: '/.auth'
      }
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          clientId: entraClientId
          // Names the app setting holding the identity's client id: the platform signs in with a federated
          // credential (managed identity token as client assertion) instead of a client secret.
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
        }
        validation: {
          allowedAudiences: [
            'api://${entraClientId}'
          ]
          defaultAuthorizationPolicy: {
            allowedApplications: [
              entraClientId
            ]
          }
        }
        isAutoProvisioned: false
      }
    }
    login: {
      routes: {
        logoutEndpoint: '/.auth/logout'
      }
      tokenStore: {
        enabled: true
        tokenRefreshExtensionHours: 72
      }
      preserveUrlFragmentsForLogins: false
      cookieExpiration: {
        convention: 'FixedTime'
        timeToExpiration: '08:00:00'
      }
      nonce: {
        validateNonce: true
        nonceExpirationInterval: '00:05:00'
      }
    }
  }
}

@description('Name of the function app.')
output name string = functionApp.name

@description('Default host name of the function app.')
output defaultHostName string = functionApp.properties.defaultHostName
