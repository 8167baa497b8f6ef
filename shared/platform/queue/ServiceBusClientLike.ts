import type { ServiceBusSender } from '@azure/service-bus';

/** The part of ServiceBusClient the job queue uses; tests pass a fake. */
export interface ServiceBusClientLike {
  createSender(queueName: string): Pick<ServiceBusSender, 'sendMessages' | 'close'>;
  close(): Promise<void>;
}
