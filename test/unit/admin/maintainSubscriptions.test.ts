import { HttpRequest } from '@azure/functions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MANUAL_MAINTENANCE_WINDOW_MS, maintainSubscriptions } from '../../../shared/admin/subscriptionHandlers';
import { type TenantRecord, type TenantStore } from '../../../shared/app/TenantStore';
import { InProcessJobQueue } from '../../../shared/platform/queue/InProcessJobQueue';

afterEach(() => vi.useRealTimers());

const request = (id: string) =>
  new HttpRequest({ method: 'POST', url: `http://localhost/api/tenants/${id}/subscriptions/maintain`, params: { id } });

describe('maintainSubscriptions (admin): one job per tenant and window', () => {
  it('repeats in a window answer 202 with the same job id and queue nothing more; the next window queues again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:05Z'));
    const queue = new InProcessJobQueue();
    const tenants = { get: async (id: string) => (id === 'a' || id === 'b' ? ({ id } as TenantRecord) : null) } as unknown as TenantStore;
    const deps = { queue, tenants };
    const first = await maintainSubscriptions(deps, request('a'));
    for (let i = 0; i < 19; i++) expect((await maintainSubscriptions(deps, request('a'))).jsonBody).toEqual(first.jsonBody);
    expect(first).toMatchObject({ status: 202, jsonBody: { queued: true, jobId: 'maintain:a:manual-2026-12-01T10:00:00.000Z' } });
    expect(queue.stats()).toMatchObject({ enqueued: 1, deduplicated: 19 });
    // Another tenant is its own job; the next window is a new job.
    await maintainSubscriptions(deps, request('b'));
    vi.setSystemTime(new Date(Date.parse('2026-12-01T10:00:00Z') + MANUAL_MAINTENANCE_WINDOW_MS));
    expect((await maintainSubscriptions(deps, request('a'))).jsonBody).toMatchObject({
      jobId: 'maintain:a:manual-2026-12-01T10:01:00.000Z',
    });
    expect(queue.stats().enqueued).toBe(3);
    await queue.close();
  });
});
