import { app } from '@azure/functions';
import { pbxHandler, pbxRoutes } from '../shared/pbxApi/pbxRoutes';
import { getServices } from '../shared/app/getServices';

// The PBX API: "Sync now", dry run and status for one tenant, called by that tenant's PBX. Anonymous for the
// Functions host (it would accept only a function key, which opens every tenant); every request is
// authenticated in code by the tenant's own PBX API key (shared/pbxApi/authenticatePbxRequest.ts).
for (const route of pbxRoutes) {
  app.http(route.name, { route: route.route, methods: route.methods, authLevel: 'anonymous', handler: pbxHandler(route, getServices) });
}
