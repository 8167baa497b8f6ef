// Alerts: dead-lettered sync jobs, failed runs, and 5xx answers from the Graph webhooks. They notify the action
// group given (actionGroupId) and/or one created for alertEmail; without either they still fire in the portal.
// Secret and certificate expiry is not alerted here: see docs/DEPLOYMENT.md (Alerts).
param namePrefix string
param actionGroupName string
param alertEmail string = ''
param actionGroupId string = ''
param serviceBusNamespaceName string
param serviceBusQueueName string
param applicationInsightsName string
param location string = resourceGroup().location
param tags object = {}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource emailGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'm365pbx'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actionGroupIds = concat(empty(actionGroupId) ? [] : [actionGroupId], empty(alertEmail) ? [] : [emailGroup.id])

// A job that failed on every delivery (maxDeliveryCount) or expired: a tenant's sync is stuck.
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-sync-jobs-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Sync jobs were dead-lettered in the ${serviceBusQueueName} queue (inspect the dead-letter queue).'
    severity: 2
    enabled: true
    scopes: [serviceBus.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'deadLettered'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [serviceBusQueueName]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [for id in actionGroupIds: { actionGroupId: id }]
  }
}

// Failed runs (processSyncJob logs 'run failed') and failed executions of the queue and timer functions.
resource failedRuns 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${namePrefix}-failed-runs'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Connector: failed runs'
    description: 'A sync run failed, or a queue or timer function execution failed.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'union (traces | where tostring(parse_json(message).message) == "run failed"), (requests | where success == false and operation_Name in ("syncWorker", "scheduledSync", "renewSubscriptions", "purgeRunChanges"))'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroupIds
    }
  }
}

// The Graph webhooks answering 5xx: Graph retries, then drops notifications and may disable the subscription.
resource webhookErrors 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${namePrefix}-webhook-5xx'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Connector: Graph webhook 5xx'
    description: 'The Graph change-notification or lifecycle webhook answered 5xx (e.g. 503: the queue was unavailable).'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests | where operation_Name in ("graphNotifications", "graphLifecycle") and toint(resultCode) >= 500'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroupIds
    }
  }
}
