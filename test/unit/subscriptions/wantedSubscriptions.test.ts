import { describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { defaultFeatureRegistry } from '../../../shared/features/defaultFeatureRegistry';
import { usersToSubscribe, wantedSubscriptions } from '../../../shared/subscriptions/wantedSubscriptions';
import { type LinkedUser } from '../../../shared/engine/LinkedUsers';
import { type DirectoryReader } from '../../../shared/graph/DirectoryReader';
import { sandboxTenantConfig } from '../../../shared/platform/local/sandboxTenantConfig';

const endpoints = {
  notificationUrl: 'https://fn.example/api/graph/notifications',
  lifecycleNotificationUrl: 'https://fn.example/api/graph/lifecycle',
};
const settings = { endpoints, lifetimeMinutes: {} } as unknown as Parameters<typeof wantedSubscriptions>[1];
const base = sandboxTenantConfig({ graphBaseUrl: 'http://127.0.0.1:1', graphToken: 't', pbxBaseUrl: 'http://127.0.0.1:2', pbxDomain: 'd' });
const withCalendar = (calendar: Record<string, unknown>) => TenantConfigSchema.parse({ ...base, calendar: { enabled: true, ...calendar } });
const linked = (objectId: string): LinkedUser => ({
  objectId,
  pbxUserId: '1',
  extensionNumber: '101',
  pbxUserName: '101',
  origin: 'created',
});
const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';
const G = 'c0000000-0000-4000-8000-00000000000a';

describe('wantedSubscriptions with a feature that subscribes per user', () => {
  it('wants one events subscription per user named, each carrying its user, beside the shared ones', () => {
    const wanted = wantedSubscriptions(withCalendar({}), settings, defaultFeatureRegistry(), (f) => (f === 'calendar' ? [A, B] : []));
    const calendar = wanted.filter((w) => w.resource === 'calendar');
    expect(calendar.map((w) => [w.graphResource, w.subject, w.changeType])).toEqual([
      [`users/${A}/events`, A, 'created,updated,deleted'],
      [`users/${B}/events`, B, 'created,updated,deleted'],
    ]);
    // Outlook's 7-day maximum, less the margin kept for clock skew.
    expect(calendar[0]!.lifetimeMinutes).toBe(10_080 - 60);
    expect(wanted.some((w) => w.resource === 'users' && w.subject === undefined)).toBe(true);
  });

  it('wants none per user when the calendar polls only, or is off', () => {
    const usersOf = () => [A];
    expect(
      wantedSubscriptions(withCalendar({ notifications: false }), settings, defaultFeatureRegistry(), usersOf).filter((w) => w.subject),
    ).toEqual([]);
    expect(
      wantedSubscriptions(TenantConfigSchema.parse(base), settings, defaultFeatureRegistry(), usersOf).filter((w) => w.subject),
    ).toEqual([]);
  });

  it('subscribes only the users in the calendar’s scope, and reads nothing when no feature subscribes per user', async () => {
    let listed = 0;
    const synced = async () => {
      listed += 1;
      return [linked(A), linked(B)];
    };
    const reader = {
      listGroupMemberUserIds: async (group: string) => (group === G ? [B.toUpperCase()] : []),
    } as unknown as DirectoryReader;
    const scoped = withCalendar({ users: { mode: 'GROUPS', groups: [G] } });
    expect(await usersToSubscribe(scoped, defaultFeatureRegistry(), synced, reader)).toEqual(new Map([['calendar', [B]]]));
    expect(await usersToSubscribe(withCalendar({}), defaultFeatureRegistry(), synced, reader)).toEqual(new Map([['calendar', [A, B]]]));
    expect(listed).toBe(2);
    expect(await usersToSubscribe(TenantConfigSchema.parse(base), defaultFeatureRegistry(), synced, reader)).toEqual(new Map());
    expect(listed).toBe(2);
  });
});
