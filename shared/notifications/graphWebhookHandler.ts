import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { loggerFor } from '../core/logging/loggerFor';
import { MAX_NOTIFICATION_BODY_BYTES } from '../graph/ChangeNotification';
import { AppError } from '../core/errors/AppError';
import { errorResponse, json } from '../core/http/jsonResponses';
import { readJsonBody } from '../core/http/readJsonBody';
import { type NotificationIntake } from './NotificationIntake';

/** Graph's tokens are a few hundred characters; anything far longer is not a handshake. */
const MAX_VALIDATION_TOKEN = 2048;

/** The envelope only; each item is checked on its own so one bad item does not sink its batch. */
const EnvelopeSchema = z
  .object({ value: z.array(z.unknown()).min(1).max(1000), validationTokens: z.array(z.string()).optional() })
  .passthrough();

/**
 * Graph's validation handshake: 200, text/plain, exactly the (already URL-decoded) token. It needs no
 * services, so it is answered before anything is initialised and a cold start still makes Graph's 10 s.
 * `nosniff` keeps a browser from ever rendering the reflected token as HTML.
 */
export function validationHandshake(request: HttpRequest): HttpResponseInit | undefined {
  const token = request.query.get('validationToken');
  if (token === null) return undefined;
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
  if (token.length === 0 || token.length > MAX_VALIDATION_TOKEN) return { status: 400, body: 'invalid validationToken', headers };
  return { status: 200, body: token, headers };
}

/**
 * The HTTP side of `graphNotifications` and `graphLifecycle` (both take either kind of item, since Graph
 * sends lifecycle events to notificationUrl when a subscription has no lifecycle URL): handshake, body
 * checks (415 not JSON, 413 too large, 400 malformed, 422 not a notification batch), then the intake.
 * 202 when accepted; 503 when a job could not be enqueued, so Graph delivers again.
 */
export function graphWebhookHandler(intake: () => Promise<NotificationIntake>) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const handshake = validationHandshake(request);
    if (handshake) return handshake;
    try {
      if (request.method !== 'POST') throw new AppError('INVALID', 'Graph delivers notifications with POST');
      const body = await readJsonBody(request, EnvelopeSchema, MAX_NOTIFICATION_BODY_BYTES);
      const result = await (await intake()).accept(body.value, loggerFor(context));
      if (result.accepted === 0 && result.dropped.invalid === body.value.length) {
        throw new AppError(
          'UNPROCESSABLE',
          'no item of the batch is a Graph notification (subscriptionId and tenantId or organizationId are required)',
        );
      }
      return json(202, result);
    } catch (err) {
      return errorResponse(err, loggerFor(context));
    }
  };
}
