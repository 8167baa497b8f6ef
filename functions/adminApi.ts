import { app } from '@azure/functions';
import { adminHandler, adminRoutes } from '../shared/admin/adminRoutes';
import { getServices } from '../shared/app/getServices';

// The admin API the PBX (or an operator) calls: tenant CRUD, "Sync now", run status.
for (const route of adminRoutes) {
  app.http(route.name, { route: route.route, methods: route.methods, authLevel: 'function', handler: adminHandler(route, getServices) });
}
