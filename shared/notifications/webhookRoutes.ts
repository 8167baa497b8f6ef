import type { HttpMethod } from '@azure/functions';

/**
 * The webhook routes under /api (registered by functions/graphWebhooks.ts and served by the local host).
 * The subscription URLs are built from the same paths (notificationSettingsFrom).
 */
export const webhookRoutes: { name: string; route: string; methods: HttpMethod[] }[] = [
  { name: 'graphNotifications', route: 'graph/notifications', methods: ['POST'] },
  { name: 'graphLifecycle', route: 'graph/lifecycle', methods: ['POST'] },
];
