import { type GroupRecord } from './GroupDirectory';
import { CreateGroupBody, UpdateGroupBody } from './groupBodies';
import { parseBody } from './parseBody';
import { pageOf, parsePaging } from './parsePaging';
import { notFound, PbxError } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { refuseQueryOptions } from './refuseQueryOptions';
import { type Route, type RouteRequest } from './Route';
import { type UserRecord } from './UserDirectory';

const groupSummary = (g: GroupRecord) => ({ id: g.id, name: g.name, description: g.description });
const groupDetail = (g: GroupRecord) => ({ ...groupSummary(g), outbound_caller_ids: g.outbound_caller_ids.map((entry) => entry) });
const memberView = ({ user }: UserRecord) => ({
  id: user.id,
  name: user.name,
  display_name: user.display_name,
  extension_number: user.extension_number,
});

/**
 * /api/groups (reference/portsip.md §3): list (paged), create, read, update, destroy; members by extension
 * number: list (no paging, no count), add, check, destroy. Only user extensions can be members. ⚠ PortSIP
 * does not document what adding a member twice or removing a non-member answers; the sandbox answers 400
 * VALIDATE_FAILED ("already a member") and 404 NOT_FOUND, so clients must treat both as done themselves.
 */
export function groupRoutes(tenant: PbxTenant): Route[] {
  const group = ({ params }: RouteRequest): GroupRecord => {
    const record = tenant.groups.get(params[0]!);
    if (!record) throw notFound(`The user group ${params[0]} does not exist`);
    return record;
  };
  const extension = ({ params }: RouteRequest): UserRecord => {
    const number = params[1]!;
    const record = /^[0-9]{3,64}$/.test(number) ? tenant.users.withExtension(number) : undefined;
    if (!record) throw notFound(`The extension number ${number} does not exist`);
    return record;
  };
  const members = (g: GroupRecord): UserRecord[] =>
    [...g.members].map((id) => tenant.users.get(id)).filter((r): r is UserRecord => r !== undefined);

  return [
    {
      method: 'GET',
      path: '/api/groups',
      handle: ({ query }) => {
        refuseQueryOptions(query, ['filter', 'search', 'orderby']);
        return { status: 200, body: pageOf(tenant.groups.all(), parsePaging(query), groupSummary) };
      },
    },
    {
      method: 'POST',
      path: '/api/groups',
      write: 'groups',
      handle: ({ body }) => {
        const b = parseBody(CreateGroupBody, body);
        const id = tenant.ids.next();
        tenant.groups.add({
          id,
          name: b.name,
          description: b.description || null,
          outbound_caller_ids: b.outbound_caller_ids ?? [],
          members: new Set(),
        });
        return { status: 201, body: { id } };
      },
    },
    { method: 'GET', path: '/api/groups/{id}', handle: (request) => ({ status: 200, body: groupDetail(group(request)) }) },
    {
      method: 'POST',
      path: '/api/groups/{id}',
      write: 'groups',
      handle: (request) => {
        const record = group(request);
        const b = parseBody(UpdateGroupBody, request.body);
        if (b.name !== undefined) record.name = b.name;
        if (b.description !== undefined) record.description = b.description || null;
        if (b.outbound_caller_ids !== undefined) record.outbound_caller_ids = b.outbound_caller_ids ?? [];
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      path: '/api/groups/{id}/destroy',
      write: 'groups',
      handle: (request) => {
        tenant.groups.remove(group(request));
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/api/groups/{id}/members',
      handle: (request) => ({ status: 200, body: { items: members(group(request)).map(memberView) } }),
    },
    {
      method: 'GET',
      path: '/api/groups/{id}/members/{extension_number}',
      handle: (request) => {
        const record = group(request);
        const member = extension(request);
        if (!record.members.has(member.user.id))
          throw notFound(`The extension ${member.user.extension_number} is not a member of this group`);
        return { status: 200, body: memberView(member) };
      },
    },
    {
      method: 'POST',
      path: '/api/groups/{id}/members/{extension_number}',
      write: 'groups',
      handle: (request) => {
        const record = group(request);
        const member = extension(request);
        if (record.members.has(member.user.id))
          throw new PbxError(400, 'VALIDATE_FAILED', `The extension ${member.user.extension_number} is already a member of this group`, {
            field: 'extension_number',
          });
        record.members.add(member.user.id);
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      path: '/api/groups/{id}/members/{extension_number}/destroy',
      write: 'groups',
      handle: (request) => {
        const record = group(request);
        const member = extension(request);
        if (!record.members.delete(member.user.id))
          throw notFound(`The extension ${member.user.extension_number} is not a member of this group`);
        return { status: 204 };
      },
    },
  ];
}
