import { app } from '@azure/functions';
import { adminHandler, adminRoutes } from '../shared/admin/adminRoutes';
import { getServices } from '../shared/app/getServices';

// The admin API the PBX (or an operator) calls: tenant CRUD, "Sync now", run status. The consent callback is
// the one anonymous route (Entra redirects a browser to it); it checks the signed state it made itself.
for (const route of adminRoutes) {
  app.http(route.name, {
    route: route.route,
    methods: route.methods,
    authLevel: route.authLevel ?? 'function',
    handler: adminHandler(route, getServices),
  });
}
