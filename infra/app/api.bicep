// The function app on Flex Consumption (Node 22, Linux) with its plan and its app settings. The settings come
// from ./appSettings.json; `tokens` below fills in the values known only at deployment.
param name string
param planName string
param location string = resourceGroup().location
param tags object = {}
param serviceName string = 'api'
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param serviceBusFqdn string
param keyVaultUri string
param applicationInsightsConnectionString string
param virtualNetworkSubnetId string = ''
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

var blobEndpoint = 'https://${storageAccountName}.blob.${environment().suffixes.storage}/'
// Every {{token}} appSettings.json may use (test/infra/deploymentDrift.test.ts checks both lists match).
var tokens = {
  identityClientId: identityClientId
  storageBlobEndpoint: blobEndpoint
  storageTableEndpoint: 'https://${storageAccountName}.table.${environment().suffixes.storage}/'
  serviceBusFqdn: serviceBusFqdn
  keyVaultUri: keyVaultUri
  // Built from the name, not from the site's defaultHostName, so the settings need not wait for the site.
  functionAppHostName: '${name}.azurewebsites.net'
  applicationInsightsConnectionString: applicationInsightsConnectionString
}
var settingTemplates = loadJsonContent('./appSettings.json').settings
var resolvedSettings = [
  for setting in items(settingTemplates): {
    name: setting.key
    value: reduce(items(tokens), setting.value, (value, token) => replace(value, '{{${token.key}}}', token.value))
  }
]
var appSettings = toObject(resolvedSettings, setting => setting.name, setting => setting.value)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
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

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // One warm instance for the HTTP group: Graph's validation handshake must be answered within 10 s.
        alwaysReady: [
          {
            name: 'http'
            instanceCount: 1
          }
        ]
      }
      // On Flex Consumption the runtime is set here, never with FUNCTIONS_WORKER_RUNTIME.
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

resource siteSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
output publicBaseUrl string = appSettings.PUBLIC_BASE_URL
