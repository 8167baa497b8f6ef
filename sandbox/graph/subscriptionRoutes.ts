import { type IncomingMessage, type ServerResponse } from 'node:http';
import { GraphRequestError } from './GraphRequestError';
import { subscriptionBody } from './SandboxSubscription';
import { type SubscriptionRegistry } from './SubscriptionRegistry';
import { sendGraphError, sendJson } from './graphErrors';
import { BadBodyError, readJsonBody } from './readJsonBody';
import { NewSubscriptionSchema, SubscriptionPatchSchema } from './subscriptionSchemas';

export interface SubscriptionRouteDeps {
  baseUrl: string;
  registry: SubscriptionRegistry;
  /** Graph's handshake against an endpoint; false when it did not pass. */
  validate(url: string): Promise<boolean>;
}

const validationFailed = () =>
  new GraphRequestError(
    400,
    'ValidationError',
    'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
  );

/**
 * Graph's `/subscriptions` API: create (after validating the endpoints), list, get, renew (PATCH),
 * reauthorize, delete. Answers and returns true when the path is a subscription route.
 */
export async function handleSubscriptionRoute(
  deps: SubscriptionRouteDeps,
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const match = /^\/subscriptions(?:\/([^/]+)(\/reauthorize)?)?$/.exec(path);
  if (!match) return false;
  try {
    const id = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    if (id === undefined) await collection(deps, method, req, res);
    else if (match[2] !== undefined) reauthorize(deps, method, id, res);
    else await item(deps, method, id, req, res);
  } catch (err) {
    if (err instanceof GraphRequestError) sendGraphError(res, err.status, err.code, err.message);
    else if (err instanceof BadBodyError)
      sendGraphError(res, err.status, err.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', err.message);
    else if (err instanceof URIError) sendGraphError(res, 400, 'BadRequest', 'The subscription id is not a valid URL segment.');
    else throw err;
  }
  return true;
}

/** GET lists every subscription, expired ones included (Graph's list may show them too); POST creates. */
async function collection(deps: SubscriptionRouteDeps, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { registry, baseUrl } = deps;
  if (method === 'GET') {
    return sendJson(res, 200, {
      '@odata.context': `${baseUrl}/v1.0/$metadata#subscriptions`,
      value: registry.list().map((s) => subscriptionBody(s, baseUrl)),
    });
  }
  if (method !== 'POST') throw notAllowed(method, '/subscriptions');
  const body = await readJsonBody(req, NewSubscriptionSchema);
  const checked = registry.checkNew(body);
  // Each endpoint gets its own handshake, even when both are the same URL.
  for (const url of [body.notificationUrl, body.lifecycleNotificationUrl]) {
    if (url && !(await deps.validate(url))) throw validationFailed();
  }
  sendJson(res, 201, subscriptionBody(registry.add(body, checked), baseUrl));
}

function reauthorize(deps: SubscriptionRouteDeps, method: string, id: string, res: ServerResponse): void {
  if (method !== 'POST') throw notAllowed(method, '/subscriptions/{id}/reauthorize');
  deps.registry.get(id);
  res.writeHead(204).end();
}

async function item(deps: SubscriptionRouteDeps, method: string, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { registry, baseUrl } = deps;
  if (method === 'GET') return sendJson(res, 200, subscriptionBody(registry.get(id), baseUrl));
  if (method === 'DELETE') {
    registry.delete(id);
    res.writeHead(204).end();
    return;
  }
  if (method !== 'PATCH') throw notAllowed(method, '/subscriptions/{id}');
  const current = registry.get(id);
  const patch = await readJsonBody(req, SubscriptionPatchSchema);
  if (patch.lifecycleNotificationUrl !== undefined) {
    throw new GraphRequestError(400, 'InvalidRequest', 'lifecycleNotificationUrl can only be set when the subscription is created.');
  }
  const expiresAt =
    patch.expirationDateTime === undefined
      ? undefined
      : registry.resolveExpiry(patch.expirationDateTime, registry.maxLifetimeMinutesOf(current));
  // A new notification URL must pass the handshake, as at creation.
  if (
    patch.notificationUrl !== undefined &&
    patch.notificationUrl !== current.notificationUrl &&
    !(await deps.validate(patch.notificationUrl))
  ) {
    throw validationFailed();
  }
  sendJson(res, 200, subscriptionBody(registry.renew(id, { expiresAt, notificationUrl: patch.notificationUrl }), baseUrl));
}

function notAllowed(method: string, route: string): GraphRequestError {
  return new GraphRequestError(405, 'Request_BadRequest', `${method} is not supported on ${route}`);
}
