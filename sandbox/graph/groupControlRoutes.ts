import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ControlRoute } from './ControlRoute';
import type { GraphSandbox } from './GraphSandbox';
import { sendGraphError, sendJson, sendMethodNotAllowed } from './graphErrors';
import { readJsonBody } from './readJsonBody';
import { GroupMemberSchema, GroupMembersSchema, GroupPatchSchema, NewGroupSchema } from './sandboxControlSchemas';

/**
 * The control API's group routes (see handleControlRequest, which maps the sandbox's errors):
 * `GET|POST /_sandbox/groups`, `GET|PATCH|DELETE /_sandbox/groups/{id}` (`?hard=true` deletes for good),
 * `POST /_sandbox/groups/{id}/restore`, `POST|PUT /_sandbox/groups/{id}/members` (add one / replace all),
 * `DELETE /_sandbox/groups/{id}/members/{memberId}`. Returns false when the path is not a group route.
 */
export const handleGroupControlRoute: ControlRoute = async (sandbox, req, res, url) => {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === '/_sandbox/groups') {
    if (method === 'GET') sendJson(res, 200, { value: sandbox.listGroups() });
    else if (method === 'POST') {
      const body = await readJsonBody(req, NewGroupSchema);
      const id = body.id ?? randomUUID();
      sandbox.addGroup({ ...body, id, memberIds: body.memberIds ?? [] });
      sendJson(res, 201, sandbox.getGroup(id));
    } else sendMethodNotAllowed(res, method, path);
    return true;
  }
  const match = /^\/_sandbox\/groups\/([^/]+)(?:\/(restore|members)(?:\/([^/]+))?)?$/.exec(path);
  if (!match) return false;
  const id = decodeURIComponent(match[1]!);
  const sub = match[2];
  const member = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
  if (sub === undefined) await group(sandbox, req, res, url, id);
  else if (sub === 'restore' && member === undefined && method === 'POST') {
    sandbox.restoreGroup(id);
    sendJson(res, 200, sandbox.getGroup(id));
  } else if (sub === 'members' && member === undefined && (method === 'POST' || method === 'PUT')) {
    if (method === 'POST') sandbox.addGroupMember(id, (await readJsonBody(req, GroupMemberSchema)).id);
    else sandbox.setGroupMembers(id, (await readJsonBody(req, GroupMembersSchema)).memberIds);
    sendJson(res, 200, sandbox.getGroup(id));
  } else if (sub === 'members' && member !== undefined && method === 'DELETE') {
    sandbox.removeGroupMember(id, member);
    res.writeHead(204).end();
  } else sendMethodNotAllowed(res, method, path);
  return true;
};

async function group(sandbox: GraphSandbox, req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'GET') {
    const found = sandbox.getGroup(id);
    return found ? sendJson(res, 200, found) : sendGraphError(res, 404, 'Request_ResourceNotFound', `no group ${id}`);
  }
  if (method === 'PATCH') {
    sandbox.updateGroup(id, await readJsonBody(req, GroupPatchSchema));
    return sendJson(res, 200, sandbox.getGroup(id));
  }
  if (method === 'DELETE') {
    if (url.searchParams.get('hard') === 'true') sandbox.hardDeleteGroup(id);
    else sandbox.softDeleteGroup(id);
    res.writeHead(204).end();
    return;
  }
  sendMethodNotAllowed(res, method, url.pathname);
}
