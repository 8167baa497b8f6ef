import { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { GraphSandbox } from './GraphSandbox';
import { sendJson } from './graphErrors';

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
const NewUserSchema = UserPatchSchema.extend({ id: z.string().uuid().optional(), userPrincipalName: z.string().min(3).max(256) });

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const problem = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { error: { message } });

/** A small control API for manual demos (loopback only): edit users and see what the connector does. */
export async function handleControlRequest(sandbox: GraphSandbox, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const userMatch = /^\/_sandbox\/users\/([^/]+)(\/restore)?$/.exec(url.pathname);
  try {
    if (url.pathname === '/_sandbox/users' && req.method === 'GET') return sendJson(res, 200, { value: sandbox.listUsers() });
    if (url.pathname === '/_sandbox/stats' && req.method === 'GET') return sendJson(res, 200, { requests: sandbox.stats.requests, byRoute: sandbox.stats.byRoute });
    if (url.pathname === '/_sandbox/users' && req.method === 'POST') {
      const parsed = NewUserSchema.safeParse(await readJson(req));
      if (!parsed.success) return problem(res, 400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const user = { businessPhones: [], accountEnabled: true, userType: 'Member' as const, ...parsed.data, id: parsed.data.id ?? randomUUID() };
      sandbox.addUser(user);
      return sendJson(res, 201, user);
    }
    if (userMatch) {
      const id = decodeURIComponent(userMatch[1]!);
      if (userMatch[2] && req.method === 'POST') {
        sandbox.restoreUser(id);
        return sendJson(res, 200, sandbox.getUser(id));
      }
      if (!sandbox.getUser(id)) return problem(res, 404, `no user ${id}`);
      if (req.method === 'PATCH') {
        const parsed = UserPatchSchema.safeParse(await readJson(req));
        if (!parsed.success) return problem(res, 400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        sandbox.updateUser(id, parsed.data);
        return sendJson(res, 200, sandbox.getUser(id));
      }
      if (req.method === 'DELETE') {
        if (url.searchParams.get('hard') === 'true') sandbox.hardDeleteUser(id);
        else sandbox.softDeleteUser(id);
        res.writeHead(204).end();
        return;
      }
    }
    return problem(res, 404, `no control route ${req.method} ${url.pathname}`);
  } catch (err) {
    return problem(res, err instanceof SyntaxError ? 400 : 404, err instanceof Error ? err.message : String(err));
  }
}
