import { describe, expect, it } from 'vitest';
import { ChangeNotificationSchema, GUID_PATTERN, notificationTenant } from '../../../shared/graph/ChangeNotification';

const SUB = '7e0d2c4a-9f1b-4c3d-8e5f-a1b2c3d4e5f6';
const TENANT = '11111111-1111-4111-8111-111111111111';
const item = (overrides: Record<string, unknown> = {}) => ({
  subscriptionId: SUB,
  subscriptionExpirationDateTime: '2026-12-20T00:00:00.0000000+00:00',
  changeType: 'updated',
  resource: 'Users/8a0d1e52-3c4b-4d6e-9f70-112233445566',
  resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': 'Users/x', id: 'x', organizationId: TENANT },
  clientState: 's'.repeat(43),
  tenantId: TENANT,
  ...overrides,
});
const ok = (value: unknown) => ChangeNotificationSchema.safeParse(value).success;

describe('ChangeNotificationSchema (shape checks at the edge)', () => {
  it('accepts what Graph sends: a change notification, a lifecycle event with organizationId and an empty resource', () => {
    expect(ok(item())).toBe(true);
    const { tenantId: _t, changeType: _c, resourceData: _r, ...lifecycle } = item();
    expect(ok({ ...lifecycle, organizationId: TENANT, resource: '', lifecycleEvent: 'missed' })).toBe(true);
    expect(ok(item({ changeType: 'created,updated,deleted', clientState: null }))).toBe(true);
    expect(ok(item({ subscriptionId: SUB.toUpperCase() }))).toBe(true);
  });

  it.each([
    ['a subscription id that is not a GUID', { subscriptionId: 'x/y' }],
    ['a subscription id with a newline', { subscriptionId: `${SUB}\n` }],
    ['a subscription id with braces', { subscriptionId: `{${SUB}}` }],
    ['a subscription id of the wrong length', { subscriptionId: `${SUB}0` }],
    ['an empty subscription id', { subscriptionId: '' }],
    ['a number as subscription id', { subscriptionId: 42 }],
    ['a tenant id that is not a GUID', { tenantId: 'contoso' }],
    ['an organization id that is not a GUID', { tenantId: undefined, organizationId: "' OR 1=1 --" }],
    ['no tenant at all', { tenantId: undefined }],
    ['a clientState longer than Graph allows', { clientState: 'c'.repeat(129) }],
    ['a clientState that is an object', { clientState: { $ne: null } }],
    ['a resource longer than 1,024 characters', { resource: 'r'.repeat(1025) }],
    ['a changeType that is not a word list', { changeType: 'updated;DROP TABLE' }],
    ['an unknown lifecycle event', { lifecycleEvent: 'tenantDeleted' }],
    ['a resourceData id over 256 characters', { resourceData: { id: 'i'.repeat(257) } }],
    ['an absurd expiration string', { subscriptionExpirationDateTime: 'x'.repeat(65) }],
  ])('refuses %s', (_what, overrides) => {
    expect(ok(item(overrides))).toBe(false);
  });

  it('strips fields it does not read, and never copies __proto__', () => {
    const parsed = ChangeNotificationSchema.parse(
      JSON.parse(`{"subscriptionId":"${SUB}","tenantId":"${TENANT}","__proto__":{"polluted":1},"extra":"x"}`),
    );
    expect(Object.keys(parsed).sort()).toEqual(['subscriptionId', 'tenantId']);
    expect((parsed as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the tenant by tenantId, else organizationId', () => {
    expect(notificationTenant(ChangeNotificationSchema.parse(item()))).toBe(TENANT);
    expect(GUID_PATTERN.test('00000000-0000-0000-0000-000000000000')).toBe(true);
  });
});
