import { IncomingMessage, ServerResponse } from 'node:http';
import { GraphRequestError } from './GraphRequestError';
import { subscriptionBody } from './SandboxSubscription';
import { SubscriptionRegistry } from './SubscriptionRegistry';
import { sendGraphError, sendJson } from './graphErrors';
import { BadBodyError, readJsonBody } from './readJsonBody';
import { NewSubscriptionSchema, SubscriptionPatchSchema } from './subscriptionSchemas';

export interface SubscriptionRouteDeps {
  baseUrl: string;
  registry: SubscriptionRegistry;
  /** Graph's handshake against an endpoint; false when it did not pass. */
  validate(url: string): Promise<boolean>;
}

/**
 * Graph's `/subscriptions` API: create (after validating the endpoints), list, get, renew (PATCH),
 * reauthorize, delete. Answers and returns true when the path is a subscription route.
 */
export async function handleSubscriptionRoute(deps: SubscriptionRouteDeps, method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const match = /^\/subscriptions(?:\/([^/]+)(\/reauthorize)?)?$/.exec(path);
  if (!match) return false;
  const id = match[1] ? decodeURIComponent(match[1]) : undefined;
  try {
    await route(deps, method, id, match[2] !== undefined, req, res);
  } catch (err) {
    if (err instanceof GraphRequestError) sendGraphError(res, err.status, err.code, err.message);
    else if (err instanceof BadBodyError) sendGraphError(res, err.status, err.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', err.message);
    else throw err;
  }
  return true;
}

async function route(deps: SubscriptionRouteDeps, method: string, id: string | undefined, reauthorize: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { registry, baseUrl } = deps;
  if (id === undefined) {
    if (method === 'GET') return sendJson(res, 200, { '@odata.context': `${baseUrl}/v1.0/$metadata#subscriptions`, value: registry.list().map((s) => subscriptionBody(s, baseUrl)) });
    if (method !== 'POST') throw new GraphRequestError(405, 'Request_BadRequest', `${method} is not supported on /subscriptions`);
    const body = await readJsonBody(req, NewSubscriptionSchema);
    const expiresAt = registry.checkNew(body);
    const endpoints = [body.notificationUrl, ...(body.lifecycleNotificationUrl ? [body.lifecycleNotificationUrl] : [])];
    for (const url of endpoints) {
      if (!(await deps.validate(url))) {
        throw new GraphRequestError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
      }
    }
    return sendJson(res, 201, subscriptionBody(registry.add(body, expiresAt), baseUrl));
  }
  if (reauthorize) {
    if (method !== 'POST') throw new GraphRequestError(405, 'Request_BadRequest', `${method} is not supported on reauthorize`);
    registry.get(id);
    res.writeHead(204).end();
    return;
  }
  if (method === 'GET') return sendJson(res, 200, subscriptionBody(registry.get(id), baseUrl));
  if (method === 'PATCH') {
    const patch = await readJsonBody(req, SubscriptionPatchSchema);
    if (patch.lifecycleNotificationUrl !== undefined) throw new GraphRequestError(400, 'InvalidRequest', 'lifecycleNotificationUrl cannot be updated; delete and recreate the subscription.');
    return sendJson(res, 200, subscriptionBody(registry.renew(id, patch), baseUrl));
  }
  if (method === 'DELETE') {
    registry.delete(id);
    res.writeHead(204).end();
    return;
  }
  throw new GraphRequestError(405, 'Request_BadRequest', `${method} is not supported on /subscriptions/{id}`);
}
