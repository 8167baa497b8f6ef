import { ServiceBusError, type ServiceBusErrorCode, type ServiceBusMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../../../shared/core/errors/AppError';
import { type ServiceBusClientLike } from '../../../../shared/platform/queue/ServiceBusClientLike';
import { ServiceBusJobQueue } from '../../../../shared/platform/queue/ServiceBusJobQueue';
import { type SyncJob } from '../../../../shared/app/jobs/SyncJob';
import { syncJobFor } from './syncJobFor';

/** A ServiceBusClient stand-in that records what would have been sent; `failWith` makes sends throw. */
function fakeClient(failWith?: Error) {
  const sent: ServiceBusMessage[] = [];
  const calls = { senderQueue: '', senderClosed: false, clientClosed: false };
  const client: ServiceBusClientLike = {
    createSender(queueName) {
      calls.senderQueue = queueName;
      return {
        async sendMessages(message) {
          if (failWith) throw failWith;
          sent.push(message as ServiceBusMessage);
        },
        async close() {
          calls.senderClosed = true;
        },
      };
    },
    async close() {
      calls.clientClosed = true;
    },
  };
  return { client, sent, calls };
}

async function enqueueError(error: Error): Promise<AppError> {
  const queue = new ServiceBusJobQueue(fakeClient(error).client, 'sync-jobs');
  const err = await queue.enqueue(syncJobFor('contoso', 'job-1')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('ServiceBusJobQueue', () => {
  it('sends the job as a JSON message in the tenant’s session, keyed by job id', async () => {
    const { client, sent, calls } = fakeClient();
    const queue = new ServiceBusJobQueue(client, 'sync-jobs');
    const job = syncJobFor('contoso', 'job-1', { mode: 'full', trigger: 'manual' });
    await queue.enqueue(job);
    expect(calls.senderQueue).toBe('sync-jobs');
    expect(sent).toEqual([
      {
        body: job,
        contentType: 'application/json',
        sessionId: 'contoso/directory',
        messageId: 'job-1',
        applicationProperties: { tenantId: 'contoso', kind: 'sync', lane: 'directory', feature: 'users', mode: 'full', trigger: 'manual' },
      },
    ]);
  });

  it('uses the given message id and scheduled time (debounce)', async () => {
    const { client, sent } = fakeClient();
    const at = new Date('2025-01-01T12:00:30.000Z');
    await new ServiceBusJobQueue(client, 'sync-jobs').enqueue(syncJobFor('contoso', 'job-1'), {
      messageId: 'delta:contoso:users:1735732800000',
      scheduledEnqueueTime: at,
    });
    expect(sent[0]).toMatchObject({
      messageId: 'delta:contoso:users:1735732800000',
      scheduledEnqueueTimeUtc: at,
      sessionId: 'contoso/directory',
    });
  });

  it('sends a subscription job in the same tenant session, labelled with its action', async () => {
    const { client, sent } = fakeClient();
    const job: SyncJob = {
      jobId: 'recreate:sub-1:0',
      tenantId: 'contoso',
      kind: 'subscriptions',
      lane: 'directory',
      action: 'recreate',
      subscriptionId: 'sub-1',
      trigger: 'lifecycle',
      requestedAt: '2025-01-01T00:00:00.000Z',
    };
    await new ServiceBusJobQueue(client, 'sync-jobs').enqueue(job);
    expect(sent[0]).toMatchObject({
      body: job,
      sessionId: 'contoso/directory',
      messageId: 'recreate:sub-1:0',
      applicationProperties: { tenantId: 'contoso', kind: 'subscriptions', lane: 'directory', action: 'recreate', trigger: 'lifecycle' },
    });
  });

  it('refuses a reauthorize or recreate job without its subscription id', async () => {
    const { client, sent } = fakeClient();
    const job = {
      jobId: 'x',
      tenantId: 'contoso',
      kind: 'subscriptions',
      lane: 'directory',
      action: 'reauthorize',
      trigger: 'lifecycle',
      requestedAt: '2025-01-01T00:00:00.000Z',
    } as SyncJob;
    await expect(new ServiceBusJobQueue(client, 'sync-jobs').enqueue(job)).rejects.toSatisfy((err) => isAppError(err, 'INVALID'));
    expect(sent).toEqual([]);
  });

  it('refuses an invalid job with INVALID and sends nothing', async () => {
    const { client, sent } = fakeClient();
    const queue = new ServiceBusJobQueue(client, 'sync-jobs');
    const bad = { ...syncJobFor('contoso', 'job-1'), tenantId: 'Not A Tenant' } as SyncJob;
    await expect(queue.enqueue(bad)).rejects.toSatisfy((err) => isAppError(err, 'INVALID'));
    await expect(queue.enqueue({ ...syncJobFor('contoso', 'job-1'), extra: 1 } as SyncJob)).rejects.toSatisfy((err) =>
      isAppError(err, 'INVALID'),
    );
    await expect(queue.enqueue(syncJobFor('contoso', 'job-1'), { scheduledEnqueueTime: new Date('nope') })).rejects.toSatisfy((err) =>
      isAppError(err, 'INVALID'),
    );
    expect(sent).toEqual([]);
  });

  it.each<ServiceBusErrorCode>(['ServiceBusy', 'ServiceTimeout', 'GeneralError', 'ServiceCommunicationProblem'])(
    'maps %s to TRANSIENT',
    async (code) => {
      const err = await enqueueError(new ServiceBusError('try later', code));
      expect(err.code).toBe('TRANSIENT');
      expect(err.upstreamCode).toBe(code);
    },
  );

  it('maps an unknown failure to TRANSIENT', async () => {
    expect((await enqueueError(new Error('socket hang up'))).code).toBe('TRANSIENT');
  });

  it('maps UnauthorizedAccess to CONFIG naming the missing role', async () => {
    const err = await enqueueError(new ServiceBusError('Unauthorized access', 'UnauthorizedAccess'));
    expect(err.code).toBe('CONFIG');
    expect(err.message).toMatch(/Azure Service Bus Data Sender.*sync-jobs/);
  });

  it('maps MessagingEntityNotFound to CONFIG naming the queue', async () => {
    const err = await enqueueError(new ServiceBusError('The messaging entity could not be found', 'MessagingEntityNotFound'));
    expect(err.code).toBe('CONFIG');
    expect(err.message).toMatch(/queue "sync-jobs" exists/);
  });

  it('closes its sender but leaves a client it was given open', async () => {
    const { client, calls } = fakeClient();
    await new ServiceBusJobQueue(client, 'sync-jobs').close();
    expect(calls).toMatchObject({ senderClosed: true, clientClosed: false });
  });

  it('fromSettings needs a connection string or a namespace', () => {
    expect(() => ServiceBusJobQueue.fromSettings({ queueName: 'sync-jobs' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });

  it('fromSettings builds a queue from a connection string without connecting', async () => {
    const queue = ServiceBusJobQueue.fromSettings({
      connectionString: 'Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0',
      queueName: 'sync-jobs',
    });
    expect(queue).toBeInstanceOf(ServiceBusJobQueue);
    await queue.close();
  });
});
