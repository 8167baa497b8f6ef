import { app } from '@azure/functions';
import { graphWebhookHandler } from '../shared/notifications/graphWebhookHandler';
import { webhookRoutes } from '../shared/notifications/webhookRoutes';
import { getServices } from '../shared/app/getServices';

// Graph posts change notifications and lifecycle events here. Anonymous: Graph cannot send a function key
// header, and every item is authenticated by its subscription's clientState instead. The validation
// handshake is answered before getServices(), so a cold start stays inside Graph's 10 s.
const intake = async () => (await getServices()).webhook;
for (const route of webhookRoutes) {
  app.http(route.name, { route: route.route, methods: route.methods, authLevel: 'anonymous', handler: graphWebhookHandler(intake) });
}
