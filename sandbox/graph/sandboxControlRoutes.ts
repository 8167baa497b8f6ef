import { type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { GraphSandbox } from './GraphSandbox';
import { sendGraphError, sendJson, sendMethodNotAllowed } from './graphErrors';
import { handleCalendarControlRoute } from './calendarControlRoutes';
import { handleGroupControlRoute } from './groupControlRoutes';
import { handleMailboxControlRoute } from './mailboxControlRoutes';
import { handlePresenceControlRoute } from './presenceControlRoutes';
import { type ControlRoute } from './ControlRoute';
import { BadBodyError, readJsonBody } from './readJsonBody';
import { FaultsSchema, LifecycleRequestSchema, NewUserSchema, NotificationFaultsSchema, UserPatchSchema } from './sandboxControlSchemas';
import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';

/**
 * A small control API for manual demos (loopback only, no auth): edit users and groups, inject faults and watch what
 * the connector does. Its requests are not Graph traffic, so they skip faults, latency and stats.
 */
export async function handleControlRequest(sandbox: GraphSandbox, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    await route(sandbox, req, res, url);
  } catch (err) {
    if (err instanceof BadBodyError)
      return sendGraphError(res, err.status, err.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', err.message);
    if (err instanceof SandboxNotFoundError) return sendGraphError(res, 404, 'Request_ResourceNotFound', err.message);
    if (err instanceof SandboxConflictError) return sendGraphError(res, 409, 'Conflict', err.message);
    if (err instanceof URIError) return sendGraphError(res, 400, 'BadRequest', 'a path segment is not valid percent-encoding');
    throw err;
  }
}

/** The control API's parts in their own files, asked in turn after the routes below that come first. */
const CONTROL_ROUTES: readonly ControlRoute[] = [
  handleGroupControlRoute,
  handleMailboxControlRoute,
  handlePresenceControlRoute,
  handleCalendarControlRoute,
];

async function route(sandbox: GraphSandbox, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === '/_sandbox/stats' && method === 'GET')
    return sendJson(res, 200, { requests: sandbox.stats.requests, byRoute: sandbox.stats.byRoute });
  if (path === '/_sandbox/faults' && method === 'POST') {
    const f = await readJsonBody(req, FaultsSchema);
    if (f.throttleNext !== undefined) sandbox.faults.throttleNext(f.throttleNext, f.retryAfterSeconds);
    if (f.failNext !== undefined) sandbox.faults.failNext(f.failNext, f.status);
    if (f.expireDeltaTokens !== undefined) sandbox.faults.expireDeltaTokens(f.expireDeltaTokens);
    if (f.latencyMs !== undefined) sandbox.faults.setLatency(f.latencyMs);
    return sendJson(res, 200, { applied: f });
  }
  if (path === '/_sandbox/subscriptions' && method === 'GET') {
    return sendJson(res, 200, {
      value: sandbox.subscriptions().map((sub) => ({ ...sub, expirationDateTime: new Date(sub.expiresAt).toISOString() })),
      notifications: sandbox.stats.notifications,
    });
  }
  if (path === '/_sandbox/notifications/faults' && method === 'POST') {
    const f = await readJsonBody(req, NotificationFaultsSchema);
    if (f.dropNext !== undefined) sandbox.notifications.dropNext(f.dropNext);
    if (f.duplicateNext !== undefined) sandbox.notifications.duplicateNext(f.duplicateNext);
    if (f.delayNext !== undefined) sandbox.notifications.delayNext(f.delayNext, f.delayMs!);
    if (f.reorderNext !== undefined) sandbox.notifications.reorderNext(f.reorderNext);
    if (f.forgeNext !== undefined) sandbox.notifications.forgeNext(f.forgeNext);
    return sendJson(res, 200, { applied: f });
  }
  // Lifecycle events and removals answer once started: delivery (with its retries) goes on in the background.
  const subscriptionMatch = /^\/_sandbox\/subscriptions\/([^/]+)(\/lifecycle)?$/.exec(path);
  if (subscriptionMatch) {
    const id = decodeURIComponent(subscriptionMatch[1]!);
    if (subscriptionMatch[2] && method === 'POST') {
      const body = await readJsonBody(req, LifecycleRequestSchema);
      void sandbox.notifications.sendLifecycleEvent(id, body.event, { tenantField: body.tenantField });
      return sendJson(res, 202, { sent: body.event });
    }
    if (!subscriptionMatch[2] && method === 'DELETE') {
      void sandbox.notifications.removeSubscription(id);
      res.writeHead(204).end();
      return;
    }
    return sendMethodNotAllowed(res, method, path);
  }
  for (const part of CONTROL_ROUTES) if (await part(sandbox, req, res, url)) return;
  if (path === '/_sandbox/users' && method === 'GET') return sendJson(res, 200, { value: sandbox.listUsers() });
  if (path === '/_sandbox/users' && method === 'POST') {
    const body = await readJsonBody(req, NewUserSchema);
    const user = {
      ...body,
      businessPhones: body.businessPhones ?? [],
      accountEnabled: body.accountEnabled ?? true,
      userType: body.userType ?? 'Member',
      id: body.id ?? randomUUID(),
    };
    sandbox.addUser(user);
    return sendJson(res, 201, sandbox.getUser(user.id));
  }
  const userMatch = /^\/_sandbox\/users\/([^/]+)(\/restore)?$/.exec(path);
  if (!userMatch) return sendGraphError(res, 404, 'NotFound', `no control route ${method} ${path}`);
  const id = decodeURIComponent(userMatch[1]!);
  if (userMatch[2]) {
    if (method !== 'POST') return sendMethodNotAllowed(res, method, path);
    sandbox.restoreUser(id);
    return sendJson(res, 200, sandbox.getUser(id));
  }
  if (method === 'GET') {
    const user = sandbox.getUser(id);
    return user ? sendJson(res, 200, user) : sendGraphError(res, 404, 'Request_ResourceNotFound', `no user ${id}`);
  }
  if (method === 'PATCH') {
    const patch = await readJsonBody(req, UserPatchSchema);
    sandbox.updateUser(id, patch);
    return sendJson(res, 200, sandbox.getUser(id));
  }
  if (method === 'DELETE') {
    if (url.searchParams.get('hard') === 'true') sandbox.hardDeleteUser(id);
    else sandbox.softDeleteUser(id);
    res.writeHead(204).end();
    return;
  }
  return sendMethodNotAllowed(res, method, path);
}
