import type { ServiceBusMessage } from '@azure/service-bus';
import { type EnqueueOptions } from './JobQueue';
import { type SyncJob } from '../../app/jobs/SyncJob';

/**
 * The Service Bus message of a job: session per tenant (one writer per tenant), message id for duplicate
 * detection, and the routing facts as application properties so they show in the portal and in filters.
 */
export function toServiceBusMessage(job: SyncJob, options: EnqueueOptions = {}): ServiceBusMessage {
  return {
    body: job,
    contentType: 'application/json',
    sessionId: job.tenantId,
    messageId: options.messageId ?? job.jobId,
    ...(options.scheduledEnqueueTime ? { scheduledEnqueueTimeUtc: options.scheduledEnqueueTime } : {}),
    applicationProperties: {
      tenantId: job.tenantId,
      resource: job.resource,
      trigger: job.trigger,
      ...(job.resource === 'users' ? { mode: job.mode } : { action: job.action }),
    },
  };
}
