import { describe, expect, it } from 'vitest';
import { freshStores } from './storeTestTables';

describe('TablePendingUserStore', () => {
  it('records a failure, bumps the attempt count on repeats and keeps the first failure time', async () => {
    const { pendingUsers } = await freshStores();
    expect(await pendingUsers.list('acme')).toEqual([]);
    await pendingUsers.record('acme', 'o1', 'VALIDATE_FAILED', 'bad email');
    const [first] = await pendingUsers.list('acme');
    expect(first).toMatchObject({ tenantId: 'acme', objectId: 'o1', code: 'VALIDATE_FAILED', message: 'bad email', attempts: 1 });
    expect(first!.firstFailedAt).toBe(first!.lastFailedAt);
    await new Promise((r) => setTimeout(r, 5));
    await pendingUsers.record('acme', 'o1', 'CONFLICT', 'x'.repeat(5000));
    const [second] = await pendingUsers.list('acme');
    expect(second).toMatchObject({ code: 'CONFLICT', attempts: 2, firstFailedAt: first!.firstFailedAt });
    expect(second!.lastFailedAt > first!.lastFailedAt).toBe(true);
    expect(second!.message).toHaveLength(2000);
  });

  it('counts every attempt when failures are recorded concurrently', async () => {
    const { pendingUsers } = await freshStores();
    await Promise.all(Array.from({ length: 4 }, (_, i) => pendingUsers.record('acme', 'o1', 'E', `try ${i}`)));
    expect((await pendingUsers.list('acme'))[0]!.attempts).toBe(4);
  });

  it('lists per tenant and removes idempotently', async () => {
    const { pendingUsers } = await freshStores();
    await pendingUsers.record('acme', 'o1', 'E', 'm');
    await pendingUsers.record('acme', 'o2', 'E', 'm');
    await pendingUsers.record('beta', 'o3', 'E', 'm');
    await pendingUsers.remove('acme', 'o1');
    await pendingUsers.remove('acme', 'o1');
    expect((await pendingUsers.list('acme')).map((p) => p.objectId)).toEqual(['o2']);
    expect((await pendingUsers.list('beta')).map((p) => p.objectId)).toEqual(['o3']);
  });
});
