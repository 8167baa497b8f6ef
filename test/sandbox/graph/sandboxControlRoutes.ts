import { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { GraphSandbox } from './GraphSandbox';
import { sendJson } from './graphErrors';
import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';

const nullableString = z.string().max(256).nullable().optional();
const UserPatchSchema = z
  .object({
    displayName: nullableString,
    givenName: nullableString,
    surname: nullableString,
    mail: nullableString,
    userPrincipalName: z.string().min(3).max(256).optional(),
    mobilePhone: nullableString,
    businessPhones: z.array(z.string().max(64)).optional(),
    department: nullableString,
    jobTitle: nullableString,
    accountEnabled: z.boolean().optional(),
    userType: z.enum(['Member', 'Guest']).optional(),
    employeeId: nullableString,
    onPremisesExtensionAttributes: z.record(z.string(), z.string().nullable()).optional(),
  })
  .strict();
const NewUserSchema = UserPatchSchema.extend({ id: z.uuid().optional(), userPrincipalName: z.string().min(3).max(256) });

class BadBodyError extends Error {}

async function readBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let text = '';
  for await (const chunk of req) text += chunk;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new BadBodyError('body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new BadBodyError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const problem = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { error: { message } });

/** A small control API for manual demos (loopback only, no auth): edit users and watch what the connector does. */
export async function handleControlRequest(sandbox: GraphSandbox, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    if (url.pathname === '/_sandbox/stats' && req.method === 'GET') return sendJson(res, 200, { requests: sandbox.stats.requests, byRoute: sandbox.stats.byRoute });
    if (url.pathname === '/_sandbox/users' && req.method === 'GET') return sendJson(res, 200, { value: sandbox.listUsers() });
    if (url.pathname === '/_sandbox/users' && req.method === 'POST') {
      const body = await readBody(req, NewUserSchema);
      const user = { businessPhones: [], accountEnabled: true, userType: 'Member' as const, ...body, id: body.id ?? randomUUID() };
      sandbox.addUser(user);
      return sendJson(res, 201, sandbox.getUser(user.id));
    }
    const userMatch = /^\/_sandbox\/users\/([^/]+)(\/restore)?$/.exec(url.pathname);
    if (userMatch) {
      const id = decodeURIComponent(userMatch[1]!);
      if (userMatch[2] && req.method === 'POST') {
        sandbox.restoreUser(id);
        return sendJson(res, 200, sandbox.getUser(id));
      }
      if (!userMatch[2] && req.method === 'GET') {
        const user = sandbox.getUser(id);
        return user ? sendJson(res, 200, user) : problem(res, 404, `no user ${id}`);
      }
      if (!userMatch[2] && req.method === 'PATCH') {
        const patch = await readBody(req, UserPatchSchema);
        sandbox.updateUser(id, patch);
        return sendJson(res, 200, sandbox.getUser(id));
      }
      if (!userMatch[2] && req.method === 'DELETE') {
        if (url.searchParams.get('hard') === 'true') sandbox.hardDeleteUser(id);
        else sandbox.softDeleteUser(id);
        res.writeHead(204).end();
        return;
      }
      return problem(res, 405, `${req.method} is not supported on ${url.pathname}`);
    }
    return problem(res, 404, `no control route ${req.method} ${url.pathname}`);
  } catch (err) {
    if (err instanceof BadBodyError) return problem(res, 400, err.message);
    if (err instanceof SandboxNotFoundError) return problem(res, 404, err.message);
    if (err instanceof SandboxConflictError) return problem(res, 409, err.message);
    throw err;
  }
}
