import { describe, expect, it } from 'vitest';
import { type AuditEntry } from '../../../../shared/engine/AuditTrail';
import { freshStores } from './storeTestTables';

const entry = (minute: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  tenantId: 'acme',
  at: new Date(Date.UTC(2026, 11, 2, 9, minute)).toISOString(),
  actor: { kind: 'adminKey', name: 'admin key' },
  action: `action.${minute}`,
  detail: { minute, nested: { list: [1, 2] } },
  ...overrides,
});

describe('TableAuditTrail', () => {
  it('lists a tenant newest first, at most limit, with actor and detail as written', async () => {
    const { audit } = await freshStores();
    for (const minute of [1, 3, 2]) await audit.record(entry(minute));
    await audit.record(entry(4, { tenantId: 'beta' }));
    expect(await audit.list('acme', 10)).toEqual([entry(3), entry(2), entry(1)]);
    expect((await audit.list('acme', 2)).map((e) => e.action)).toEqual(['action.3', 'action.2']);
    expect(await audit.list('nobody', 10)).toEqual([]);
  });

  it('keeps two entries of the same millisecond apart', async () => {
    const { audit } = await freshStores();
    await audit.record(entry(1, { action: 'first' }));
    await audit.record(entry(1, { action: 'second' }));
    expect((await audit.list('acme', 10)).map((e) => e.action).sort()).toEqual(['first', 'second']);
  });

  it('records a detail too large for a column as truncated, and deletes a tenant only', async () => {
    const { audit } = await freshStores();
    await audit.record(entry(1, { detail: { big: 'x'.repeat(40_000) } }));
    await audit.record(entry(2, { tenantId: 'beta' }));
    expect((await audit.list('acme', 1))[0]!.detail).toEqual({ truncated: true, chars: 40_010 });
    await audit.deleteAllForTenant('acme');
    await audit.deleteAllForTenant('acme');
    expect(await audit.list('acme', 10)).toEqual([]);
    expect(await audit.list('beta', 10)).toHaveLength(1);
  });
});
