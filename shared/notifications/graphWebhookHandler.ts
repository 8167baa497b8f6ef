import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { loggerFor } from '../core/logging/loggerFor';
import { MAX_NOTIFICATIONS_PER_BATCH, MAX_NOTIFICATION_BODY_BYTES } from '../graph/ChangeNotification';
import { AppError } from '../core/errors/AppError';
import { errorResponse, json } from '../core/http/jsonResponses';
import { readJsonBody } from '../core/http/readJsonBody';
import { type NotificationIntake, type RetryReason } from './NotificationIntake';
import { recordSpanFailure, withSpan } from '../platform/telemetry/tracing';

/** Graph's tokens are a few hundred characters; anything far longer is not a handshake. */
const MAX_VALIDATION_TOKEN = 2048;

/**
 * The envelope only; each item is checked on its own so one bad item does not sink its batch. The item
 * count is checked after parsing, so an oversized batch is told so (413) rather than "invalid".
 */
const EnvelopeSchema = z.object({ value: z.array(z.unknown()).min(1), validationTokens: z.array(z.string()).optional() }).passthrough();

const RETRY_MESSAGES: Record<RetryReason, { code: 'TRANSIENT' | 'THROTTLED'; message: string; retryAfterSeconds: number }> = {
  lookupFailed: { code: 'TRANSIENT', message: 'the subscription table could not be read; deliver the batch again', retryAfterSeconds: 5 },
  overloaded: {
    code: 'THROTTLED',
    message: 'too many unknown subscriptions to look up right now; deliver the batch again',
    retryAfterSeconds: 10,
  },
  readLimit: {
    code: 'THROTTLED',
    message: 'the batch names more new subscriptions than one request may look up; deliver it again for the rest',
    retryAfterSeconds: 1,
  },
};

/**
 * Graph's validation handshake: 200, text/plain, exactly the (already URL-decoded) token. It needs no
 * services, so it is answered before anything is initialised and a cold start still makes Graph's 10 s.
 * `nosniff` keeps a browser from ever rendering the reflected token as HTML. Graph sends it with POST and one
 * token; anything else is refused, not guessed at.
 */
export function validationHandshake(request: HttpRequest): HttpResponseInit | undefined {
  const tokens = request.query.getAll('validationToken');
  if (tokens.length === 0) return undefined;
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
  const token = tokens[0]!;
  if (request.method !== 'POST') return { status: 400, body: 'the validation handshake is a POST', headers };
  if (tokens.length > 1) return { status: 400, body: 'exactly one validationToken is expected', headers };
  if (token.length === 0 || token.length > MAX_VALIDATION_TOKEN) return { status: 400, body: 'invalid validationToken', headers };
  return { status: 200, body: token, headers };
}

/**
 * The HTTP side of `graphNotifications` and `graphLifecycle` (both take either kind of item, since Graph
 * sends lifecycle events to notificationUrl when a subscription has no lifecycle URL): handshake, body
 * checks (415 not JSON, 413 too large or more than MAX_NOTIFICATIONS_PER_BATCH items, 400 malformed, 422 not
 * a notification batch), then the intake. 202 `{accepted, dropped, jobsEnqueued}` when done — also when
 * every item was dropped as not ours (nothing to retry). 503 with `Retry-After` when a job could not be
 * enqueued or the intake asks for the batch again (a table read failed, or lookups hit their caps); what
 * was accepted is queued either way, and a repeat collapses into the same jobs.
 */
export function graphWebhookHandler(intake: () => Promise<NotificationIntake>) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const handshake = validationHandshake(request);
    if (handshake) return handshake;
    // The batch's trace: the enqueue spans of the jobs it queues are its children, and their sync runs follow.
    return withSpan('webhook notifications', {}, async (span) => {
      const log = loggerFor(context);
      try {
        if (request.method !== 'POST') throw new AppError('INVALID', 'Graph delivers notifications with POST');
        const body = await readJsonBody(request, EnvelopeSchema, MAX_NOTIFICATION_BODY_BYTES);
        if (body.value.length > MAX_NOTIFICATIONS_PER_BATCH) {
          throw new AppError(
            'PAYLOAD_TOO_LARGE',
            `a batch carries at most ${MAX_NOTIFICATIONS_PER_BATCH} notifications; this one has ${body.value.length}`,
          );
        }
        span.setAttribute('messaging.batch.message_count', body.value.length);
        const result = await (await intake()).accept(body.value, log);
        span.setAttributes({ 'notifications.accepted': result.accepted, 'notifications.jobs_enqueued': result.jobsEnqueued });
        if (result.accepted === 0 && result.dropped.invalid === body.value.length) {
          throw new AppError(
            'UNPROCESSABLE',
            'no item of the batch is a Graph notification (subscriptionId and tenantId or organizationId must be GUIDs)',
          );
        }
        const counts = { accepted: result.accepted, dropped: result.dropped, jobsEnqueued: result.jobsEnqueued };
        if (result.retry) {
          const { code, message, retryAfterSeconds } = RETRY_MESSAGES[result.retry];
          span.setAttribute('notifications.retry', result.retry);
          return json(503, { error: { code, message }, ...counts }, { 'retry-after': String(retryAfterSeconds) });
        }
        return json(202, counts);
      } catch (err) {
        recordSpanFailure(span, err);
        return errorResponse(err, log);
      }
    });
  };
}
