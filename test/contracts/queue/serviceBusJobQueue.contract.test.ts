import { DefaultAzureCredential } from '@azure/identity';
import { ServiceBusJobQueue } from '../../../shared/platform/queue/ServiceBusJobQueue';
import { describeWithAzure } from '../azureTestResources';
import { jobQueueContract } from './jobQueueContract';
import { readServiceBusQueueFacts, ServiceBusSessionHarness, type ServiceBusQueueFacts } from './serviceBusSessionHarness';

describeWithAzure('JobQueue contract: ServiceBusJobQueue', 'serviceBusNamespace', (namespace, resources) => {
  const queueName = resources.serviceBusQueue;
  const credential = new DefaultAzureCredential();
  // Read once, on the first clause: collecting the tests (also when they are skipped) must not touch the network.
  let facts: Promise<ServiceBusQueueFacts> | undefined;

  jobQueueContract({
    name: 'Service Bus',
    uncheckable: {},
    // Ten deliveries, a lock waited out, or a scheduled time, each with a quiet period and a drain afterwards.
    clauseTimeoutMs: 180_000,
    makeHarness: async () => {
      facts ??= readServiceBusQueueFacts(namespace, queueName, credential);
      const queue = ServiceBusJobQueue.fromSettings({ fullyQualifiedNamespace: namespace, queueName, credential });
      return new ServiceBusSessionHarness(queue, namespace, queueName, credential, await facts);
    },
  });
});
