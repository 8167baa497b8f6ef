import { app } from '@azure/functions';
import { openApiRoute } from '../shared/admin/openApiDocument';
import { openApiHandler } from '../shared/admin/openApiHandler';

// The OpenAPI description of the admin and PBX APIs, for API tools and client generators. Anonymous: it holds no
// secret (the routes it describes keep their own keys).
app.http(openApiRoute.name, {
  route: openApiRoute.route,
  methods: openApiRoute.methods,
  authLevel: 'anonymous',
  handler: openApiHandler,
});
