import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AzureFunctions from '@azure/functions';
import { notificationSettingsFrom } from '../../shared/app/notificationServices';

const registered: { kind: string; name: string; options: Record<string, unknown> }[] = [];

vi.mock('@azure/functions', async (importOriginal) => {
  const actual = await importOriginal<typeof AzureFunctions>();
  const record = (kind: string) => (name: string, options: Record<string, unknown>) => void registered.push({ kind, name, options });
  return { ...actual, app: { http: record('http'), timer: record('timer'), serviceBusQueue: record('serviceBusQueue') } };
});

beforeAll(async () => {
  for (const file of ['adminApi', 'graphWebhooks', 'renewSubscriptions', 'scheduledSync', 'syncWorker'])
    await import(`../../functions/${file}`);
});

describe('function registrations (what the Functions host will see)', () => {
  it('registers the Graph webhooks anonymously, POST only, on the routes the subscriptions point at', () => {
    const webhooks = registered.filter((r) => r.name === 'graphNotifications' || r.name === 'graphLifecycle');
    expect(webhooks.map((w) => [w.name, w.options.route, w.options.methods, w.options.authLevel])).toEqual([
      ['graphNotifications', 'graph/notifications', ['POST'], 'anonymous'],
      ['graphLifecycle', 'graph/lifecycle', ['POST'], 'anonymous'],
    ]);
    const endpoints = notificationSettingsFrom({
      PUBLIC_BASE_URL: 'https://fn.example/',
      NOTIFICATION_DEBOUNCE_MS: 2000,
    }).endpoints;
    expect(endpoints).toEqual({
      notificationUrl: 'https://fn.example/api/graph/notifications',
      lifecycleNotificationUrl: 'https://fn.example/api/graph/lifecycle',
    });
  });

  it('keeps the admin API behind function keys, but for the one route a browser reaches from Entra', () => {
    const admin = registered.filter((r) => r.kind === 'http' && !r.name.startsWith('graph'));
    expect(admin.length).toBeGreaterThanOrEqual(9);
    const anonymous = admin.filter((r) => r.options.authLevel !== 'function');
    expect(anonymous.map((r) => [r.name, r.options.authLevel])).toEqual([['consentCallback', 'anonymous']]);
  });

  it('registers the timers and the session-enabled queue worker', () => {
    expect(registered.filter((r) => r.kind === 'timer').map((r) => [r.name, r.options.schedule])).toEqual([
      ['renewSubscriptions', '0 */30 * * * *'],
      ['scheduledSync', '0 */5 * * * *'],
    ]);
    expect(registered.find((r) => r.kind === 'serviceBusQueue')?.options).toMatchObject({
      connection: 'ServiceBusConnection',
      queueName: '%ServiceBusQueueName%',
      isSessionsEnabled: true,
    });
  });
});
