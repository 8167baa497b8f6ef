import { ServiceBusClient, ServiceBusError, ServiceBusMessage } from '@azure/service-bus';
import type { TokenCredential } from '@azure/identity';
import { AppError } from '../errors/AppError';
import { EnqueueOptions, JobQueue } from './JobQueue';
import { SyncJob } from './SyncJob';
import { parseSyncJob } from './parseSyncJob';

export interface JobSender {
  sendMessages(message: ServiceBusMessage): Promise<void>;
  close(): Promise<void>;
}

/** Builds the Service Bus message of a job: session per tenant, message id for duplicate detection. */
export function toServiceBusMessage(job: SyncJob, options: EnqueueOptions = {}): ServiceBusMessage {
  return {
    body: job,
    contentType: 'application/json',
    sessionId: job.tenantId,
    messageId: options.messageId ?? job.jobId,
    scheduledEnqueueTimeUtc: options.scheduledEnqueueTime,
    applicationProperties: { tenantId: job.tenantId, mode: job.mode, trigger: job.trigger },
  };
}

/** The Azure Service Bus adapter of the JobQueue port (a session-enabled queue with duplicate detection). */
export class ServiceBusJobQueue implements JobQueue {
  constructor(private readonly sender: JobSender, private readonly client?: ServiceBusClient) {}

  static fromSettings(settings: { connectionString?: string; fullyQualifiedNamespace?: string; credential?: TokenCredential; queueName: string }): ServiceBusJobQueue {
    let client: ServiceBusClient;
    if (settings.connectionString) client = new ServiceBusClient(settings.connectionString);
    else if (settings.fullyQualifiedNamespace && settings.credential) client = new ServiceBusClient(settings.fullyQualifiedNamespace, settings.credential);
    else throw new AppError('CONFIG', 'Service Bus needs a connection string or a namespace with a credential');
    return new ServiceBusJobQueue(client.createSender(settings.queueName), client);
  }

  async enqueue(job: SyncJob, options: EnqueueOptions = {}): Promise<void> {
    const message = toServiceBusMessage(parseSyncJob(job), options);
    try {
      await this.sender.sendMessages(message);
    } catch (err) {
      if (err instanceof ServiceBusError && (err.code === 'UnauthorizedAccess' || err.code === 'MessagingEntityNotFound')) {
        throw new AppError('CONFIG', `Service Bus refused the job (${err.code}); check the queue name and the Data Sender role`, { cause: err });
      }
      throw new AppError('TRANSIENT', `Service Bus did not take the job: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.sender.close();
    await this.client?.close();
  }
}
