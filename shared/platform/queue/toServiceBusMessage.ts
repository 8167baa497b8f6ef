import type { ServiceBusMessage } from '@azure/service-bus';
import { type EnqueueOptions } from './JobQueue';
import { type SyncJob, sessionOf } from '../../app/jobs/SyncJob';

/** The message id duplicate detection keys on: the caller's, else the job id (never the traceparent). */
export function messageIdOf(job: SyncJob, options: EnqueueOptions = {}): string {
  return options.messageId ?? job.jobId;
}

/**
 * The Service Bus message of a job: session per tenant and lane (one writer per tenant and lane), message id for duplicate
 * detection, and the routing facts as application properties so they show in the portal and in filters.
 */
export function toServiceBusMessage(job: SyncJob, options: EnqueueOptions = {}): ServiceBusMessage {
  return {
    body: job,
    contentType: 'application/json',
    sessionId: sessionOf(job),
    messageId: messageIdOf(job, options),
    ...(options.scheduledEnqueueTime ? { scheduledEnqueueTimeUtc: options.scheduledEnqueueTime } : {}),
    applicationProperties: {
      tenantId: job.tenantId,
      kind: job.kind,
      lane: job.lane,
      trigger: job.trigger,
      ...applicationPropertiesOf(job),
    },
  };
}

/** What Service Bus Explorer shows of a job besides its tenant, kind, lane and trigger. */
function applicationPropertiesOf(job: SyncJob): Record<string, string | number> {
  switch (job.kind) {
    case 'sync':
      return { feature: job.feature, mode: job.mode };
    case 'subscriptions':
      return { action: job.action };
    case 'timer':
      return { feature: job.feature, at: job.at };
    case 'poll':
      return { feature: job.feature, slot: job.slot, ...(job.batch ? { batch: job.batch.index } : {}) };
  }
}
