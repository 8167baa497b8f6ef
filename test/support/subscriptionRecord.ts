import { type SubscriptionRecord } from '../../shared/subscriptions/SubscriptionStore';

export const TEST_DIRECTORY_ID = '11111111-1111-4111-8111-111111111111';

/** A valid users subscription record for tests; override what the test is about. */
export function subscriptionRecord(overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  const subscriptionId = overrides.subscriptionId ?? 'sub-1';
  const tenantId = overrides.tenantId ?? 'contoso';
  return {
    subscriptionId,
    tenantId,
    directoryId: TEST_DIRECTORY_ID,
    resource: 'users',
    graphResource: 'users',
    changeType: 'updated,deleted',
    notificationUrl: 'https://fn.example/api/graph/notifications',
    lifecycleNotificationUrl: 'https://fn.example/api/graph/lifecycle',
    expiresAt: '2026-12-20T00:00:00.000Z',
    clientStateHash: 'a'.repeat(64),
    clientStateSecretName: `graph-client-state-${tenantId}-${subscriptionId}`,
    createdAt: '2026-11-20T00:00:00.000Z',
    ...overrides,
  };
}
