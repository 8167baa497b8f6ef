import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { json } from '../core/http/jsonResponses';
import { openApiDocument, openApiRoute } from './openApiDocument';

/**
 * GET /api/openapi.json — the OpenAPI 3.1 description of the admin API and the PBX API. Anonymous: it holds no
 * secret, only what README says. It changes only with a deployment, so caches (and API tools) may keep it 5 minutes.
 */
export async function openApiHandler(request: HttpRequest): Promise<HttpResponseInit> {
  if (!(openApiRoute.methods as readonly string[]).includes(request.method)) {
    return json(
      405,
      { error: { code: 'METHOD_NOT_ALLOWED', message: `this route takes ${openApiRoute.methods.join(', ')}` } },
      { allow: openApiRoute.methods.join(', ') },
    );
  }
  return json(200, openApiDocument(), { 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' });
}
