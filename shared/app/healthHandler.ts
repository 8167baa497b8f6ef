import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/**
 * GET /api/health — liveness for load balancers and uptime checks: anonymous, so it says nothing but that the
 * app answers (no version, no tenant, no dependency state: the admin API's status has those). Never cached.
 */
export async function healthHandler(request: HttpRequest): Promise<HttpResponseInit> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return {
      status: 405,
      headers: { allow: 'GET, HEAD', 'cache-control': 'no-store' },
      jsonBody: { error: { code: 'METHOD_NOT_ALLOWED', message: 'this route takes GET' } },
    };
  return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { status: 'ok' } };
}
