// Service Bus (Standard: sessions and duplicate detection) with the sync queue. SAS keys are disabled: the app
// reaches it with the identity (ServiceBusConnection__fullyQualifiedNamespace).
param name string
param queueName string
param location string = resourceGroup().location
param tags object = {}

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: queueName
  properties: {
    // sessionId = tenant: one tenant's jobs run one at a time (ServiceBusJobQueue).
    requiresSession: true
    // messageId dedupes repeated jobs; the window is longer than any notification coalescing (NOTIFICATION_DEBOUNCE_MS ≤ 60 s).
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    // The host renews the session lock while a job runs (host.json maxAutoLockRenewalDuration).
    lockDuration: 'PT1M'
  }
}

output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
