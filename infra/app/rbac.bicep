// The identity's roles, from ./appSettings.json (`roleAssignments`, each with the scope it applies to and why the
// code needs it). The deployer gets the same data roles when deployerPrincipalId is set (grantDeployerAccess).
param principalId string
param deployerPrincipalId string = ''
@allowed(['User', 'ServicePrincipal'])
param deployerPrincipalType string = 'User'
param storageAccountName string
param serviceBusNamespaceName string
param keyVaultName string
param applicationInsightsName string

var roleAssignments = loadJsonContent('./appSettings.json').roleAssignments
// One entry per principal and role; each resource loop below takes the entries of its scope.
var identity = {
  id: principalId
  type: 'ServicePrincipal'
}
var deployer = {
  id: deployerPrincipalId
  type: deployerPrincipalType
}
var identityGrants = map(roleAssignments, r => {
  principal: identity
  role: r
})
var deployerGrants = map(roleAssignments, r => {
  principal: deployer
  role: r
})
var grants = empty(deployerPrincipalId) ? identityGrants : concat(identityGrants, deployerGrants)
var storageGrants = filter(grants, g => g.role.scope == 'storage')
var serviceBusGrants = filter(grants, g => g.role.scope == 'serviceBus')
var keyVaultGrants = filter(grants, g => g.role.scope == 'keyVault')
var applicationInsightsGrants = filter(grants, g => g.role.scope == 'applicationInsights')

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for g in storageGrants: {
    name: guid(storage.id, g.principal.id, g.role.roleDefinitionId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', g.role.roleDefinitionId)
      principalId: g.principal.id
      principalType: g.principal.type
      description: g.role.why
    }
  }
]

resource serviceBusRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for g in serviceBusGrants: {
    name: guid(serviceBus.id, g.principal.id, g.role.roleDefinitionId)
    scope: serviceBus
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', g.role.roleDefinitionId)
      principalId: g.principal.id
      principalType: g.principal.type
      description: g.role.why
    }
  }
]

resource keyVaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for g in keyVaultGrants: {
    name: guid(keyVault.id, g.principal.id, g.role.roleDefinitionId)
    scope: keyVault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', g.role.roleDefinitionId)
      principalId: g.principal.id
      principalType: g.principal.type
      description: g.role.why
    }
  }
]

resource applicationInsightsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for g in applicationInsightsGrants: {
    name: guid(applicationInsights.id, g.principal.id, g.role.roleDefinitionId)
    scope: applicationInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', g.role.roleDefinitionId)
      principalId: g.principal.id
      principalType: g.principal.type
      description: g.role.why
    }
  }
]
