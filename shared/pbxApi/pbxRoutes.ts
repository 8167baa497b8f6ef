import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { AppError, isAppError } from '../core/errors/AppError';
import { errorResponse, json } from '../core/http/jsonResponses';
import { type Logger } from '../core/logging/Logger';
import { loggerFor } from '../core/logging/loggerFor';
import { type Services } from '../app/Services';
import { type UnauthenticatedReason, authenticatePbxRequest, wwwAuthenticateFor } from './authenticatePbxRequest';
import { PBX_REQUEST_WINDOW_MS, RateLimitedError } from './claimRequestSlot';
import { type PbxRequestContext, pbxStatus, pbxSync } from './pbxHandlers';
import { pbxEvents } from './pbxEventHandlers';

export interface PbxRoute {
  name: string;
  route: string;
  methods: HttpMethod[];
  /** Runs only once the caller is authenticated for the route's tenant (`ctx.caller`). */
  handle(services: Services, request: HttpRequest, log: Logger, ctx: PbxRequestContext): Promise<HttpResponseInit>;
}

/**
 * The PBX API: anonymous routes as far as Azure Functions is concerned (a function key would be the
 * operators' key to every tenant), authenticated in code by the tenant's own PBX API key
 * (authenticatePbxRequest). Registered by functions/pbxApi.ts and served by the local host alike.
 */
export const pbxRoutes: PbxRoute[] = [
  { name: 'pbxSync', route: 'pbx/{tenantId}/sync', methods: ['POST'], handle: pbxSync },
  { name: 'pbxStatus', route: 'pbx/{tenantId}/status', methods: ['GET'], handle: pbxStatus },
  { name: 'pbxEvents', route: 'pbx/{tenantId}/events', methods: ['POST'], handle: pbxEvents },
];

export interface PbxHandlerOptions {
  /** Default: the invocation's logger (loggerFor). */
  logger?: (context: InvocationContext) => Logger;
  now?: () => Date;
  /** The per-key rate-limit window of syncs and dry runs (default PBX_REQUEST_WINDOW_MS). */
  windowMs?: number;
}

/** Answers about a tenant's runs, for one caller: never cached, never sniffed. */
const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function refusal(err: unknown, log: Logger): HttpResponseInit {
  if (err instanceof RateLimitedError) {
    return json(
      429,
      { error: { code: err.code, message: err.message, details: err.details } },
      { 'retry-after': String(err.retryAfterSeconds) },
    );
  }
  const response = errorResponse(err, log);
  if (isAppError(err, 'UNAUTHORIZED')) {
    const reason = (err.details as { reason?: UnauthenticatedReason } | undefined)?.reason ?? 'unknown';
    log.info('PBX request refused: not authenticated', { reason });
    return { ...response, headers: { ...(response.headers as Record<string, string>), 'www-authenticate': wwwAuthenticateFor(reason) } };
  }
  return response;
}

/**
 * Wraps a PBX route: method check (405), authentication (401 / 400 / 403, see authenticatePbxRequest), then
 * the route; errors become JSON answers (errorResponse), the rate limit a 429 with Retry-After.
 */
export function pbxHandler(route: PbxRoute, services: () => Promise<Services>, options: PbxHandlerOptions = {}) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const log = (options.logger ?? loggerFor)(context);
    let response: HttpResponseInit;
    if (!route.methods.includes(request.method as HttpMethod)) {
      response = json(
        405,
        { error: { code: 'METHOD_NOT_ALLOWED', message: `this route takes ${route.methods.join(', ')}` } },
        { allow: route.methods.join(', ') },
      );
    } else {
      try {
        const all = await services();
        const now = options.now?.() ?? new Date();
        const caller = await authenticatePbxRequest(all, request, log, now);
        if (caller.key.purpose === 'events' && route.name !== 'pbxEvents')
          throw new AppError('FORBIDDEN', 'this key only delivers PBX events (POST /api/pbx/{tenantId}/events)');
        const ctx = { caller, now, windowMs: options.windowMs ?? PBX_REQUEST_WINDOW_MS };
        response = await route.handle(all, request, log.with({ tenant: caller.tenantId }), ctx);
      } catch (err) {
        response = refusal(err, log);
      }
    }
    return { ...response, headers: { ...(response.headers as Record<string, string> | undefined), ...HEADERS } };
  };
}
