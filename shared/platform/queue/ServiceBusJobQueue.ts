import { DefaultAzureCredential } from '@azure/identity';
import { ServiceBusClient } from '@azure/service-bus';
import { AppError } from '../../core/errors/AppError';
import { type EnqueueOptions, type JobQueue } from './JobQueue';
import { type ServiceBusClientLike } from './ServiceBusClientLike';
import { type ServiceBusQueueSettings } from './ServiceBusQueueSettings';
import { type SyncJob } from '../../app/jobs/SyncJob';
import { checkEnqueueOptions } from './checkEnqueueOptions';
import { parseSyncJob } from '../../app/jobs/parseSyncJob';
import { serviceBusErrorFor } from './serviceBusErrorFor';
import { messageIdOf, toServiceBusMessage } from './toServiceBusMessage';
import { enqueueInSpan } from '../telemetry/jobTraceContext';

/**
 * The Azure Service Bus adapter of the JobQueue port. The queue must be session-enabled (sessionId =
 * tenant, so one tenant's jobs run one at a time) with duplicate detection on (messageId).
 */
export class ServiceBusJobQueue implements JobQueue {
  private readonly sender: ReturnType<ServiceBusClientLike['createSender']>;
  /** Only a client this queue created is closed with it; a client passed in belongs to the caller. */
  private ownsClient = false;

  constructor(
    private readonly client: ServiceBusClientLike,
    private readonly queueName: string,
  ) {
    if (!queueName) throw new AppError('CONFIG', 'the Service Bus queue name is empty (ServiceBusQueueName)');
    this.sender = client.createSender(queueName);
  }

  static fromSettings(settings: ServiceBusQueueSettings): ServiceBusJobQueue {
    let client: ServiceBusClient;
    if (settings.connectionString) client = new ServiceBusClient(settings.connectionString);
    else if (settings.fullyQualifiedNamespace)
      client = new ServiceBusClient(settings.fullyQualifiedNamespace, settings.credential ?? new DefaultAzureCredential());
    else
      throw new AppError(
        'CONFIG',
        'Service Bus is not configured: set ServiceBusConnection__fullyQualifiedNamespace (managed identity) or ServiceBusConnection',
      );
    const queue = new ServiceBusJobQueue(client, settings.queueName);
    queue.ownsClient = true;
    return queue;
  }

  async enqueue(job: SyncJob, options: EnqueueOptions = {}): Promise<void> {
    checkEnqueueOptions(options);
    const valid = parseSyncJob(job);
    await enqueueInSpan(valid, messageIdOf(valid, options), async (traced) => {
      try {
        await this.sender.sendMessages(toServiceBusMessage(traced, options));
      } catch (err) {
        throw serviceBusErrorFor(err, this.queueName);
      }
    });
  }

  async close(): Promise<void> {
    await this.sender.close();
    if (this.ownsClient) await this.client.close();
  }
}
