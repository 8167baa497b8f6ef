import { describe, expect, it } from 'vitest';
import { freshStores, rejection } from './storeTestTables';

describe('TableScheduleStateStore', () => {
  it('remembers the last fire time per tenant', async () => {
    const { scheduleState } = await freshStores();
    expect(await scheduleState.getLastFire('acme')).toBeNull();
    await scheduleState.setLastFire('acme', '2026-01-01T00:30:00.000Z');
    await scheduleState.setLastFire('acme', '2026-01-02T00:30:00.000Z');
    await scheduleState.setLastFire('beta', '2026-01-01T05:00:00.000Z');
    expect(await scheduleState.getLastFire('acme')).toBe('2026-01-02T00:30:00.000Z');
    expect(await scheduleState.getLastFire('beta')).toBe('2026-01-01T05:00:00.000Z');
  });

  it('reports an unreadable row as INTERNAL', async () => {
    const { scheduleState, rawTable } = await freshStores();
    await rawTable('schedule').createEntity({ partitionKey: 'acme', rowKey: 'users', lastFire: 42 });
    await rejection(scheduleState.getLastFire('acme'), 'INTERNAL');
  });
});
