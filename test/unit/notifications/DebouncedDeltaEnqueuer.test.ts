import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { DebouncedDeltaEnqueuer } from '../../../shared/notifications/DebouncedDeltaEnqueuer';
import { type EnqueueOptions, type JobQueue } from '../../../shared/platform/queue/JobQueue';
import { type SyncJob } from '../../../shared/app/jobs/SyncJob';

const users = { name: 'users', lane: 'directory' } as const;

function slowQueue() {
  const sends: { job: SyncJob; options: EnqueueOptions }[] = [];
  let failures = 0;
  const queue: JobQueue = {
    enqueue: async (job, options = {}) => {
      await new Promise((r) => setTimeout(r, 10));
      if (failures > 0) {
        failures -= 1;
        throw new AppError('TRANSIENT', 'Service Bus is busy');
      }
      sends.push({ job, options });
    },
    close: async () => undefined,
  };
  return { queue, sends, failNext: (n: number) => (failures = n) };
}

describe('DebouncedDeltaEnqueuer', () => {
  it('sends one message per tenant, resource and window, even for concurrent requests', async () => {
    let now = new Date('2026-11-23T12:00:00.500Z');
    const { queue, sends } = slowQueue();
    const deltas = new DebouncedDeltaEnqueuer(queue, 2000, () => now);
    const results = await Promise.all(Array.from({ length: 50 }, () => deltas.request('contoso', users, 'notification')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await deltas.request('fabrikam', users, 'notification')).toBe(true);
    now = new Date('2026-11-23T12:00:02.000Z');
    expect(await deltas.request('contoso', users, 'lifecycle')).toBe(true);
    expect(sends.map((s) => [s.job.tenantId, s.options.messageId, s.options.scheduledEnqueueTime?.toISOString()])).toEqual([
      ['contoso', `delta:contoso:users:${Date.parse('2026-11-23T12:00:00.000Z')}`, '2026-11-23T12:00:02.000Z'],
      ['fabrikam', `delta:fabrikam:users:${Date.parse('2026-11-23T12:00:00.000Z')}`, '2026-11-23T12:00:02.000Z'],
      ['contoso', `delta:contoso:users:${Date.parse('2026-11-23T12:00:02.000Z')}`, '2026-11-23T12:00:04.000Z'],
    ]);
    expect(sends[0]!.job).toMatchObject({
      kind: 'sync',
      feature: 'users',
      lane: 'directory',
      mode: 'delta',
      trigger: 'notification',
      jobId: sends[0]!.options.messageId,
    });
  });

  it('forgets a failed send, so every waiter sees the failure and the next request tries again', async () => {
    const { queue, sends, failNext } = slowQueue();
    const deltas = new DebouncedDeltaEnqueuer(queue, 2000, () => new Date('2026-11-23T12:00:00.500Z'));
    failNext(1);
    const first = await Promise.allSettled([
      deltas.request('contoso', users, 'notification'),
      deltas.request('contoso', users, 'notification'),
    ]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await deltas.request('contoso', users, 'notification')).toBe(true);
    expect(sends).toHaveLength(1);
  });
});
