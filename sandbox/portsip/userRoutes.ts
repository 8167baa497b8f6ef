import { changePassword } from './changePassword';
import { createUser } from './createUser';
import { parseBody } from './parseBody';
import { parsePaging } from './parsePaging';
import { parseUserFilter } from './parseUserFilter';
import { notFound } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { refuseQueryOptions } from './refuseQueryOptions';
import { type Route, type RouteRequest } from './Route';
import { updateUser } from './updateUser';
import { BindingBody, PasswordBody } from './userBodies';
import { type UserRecord } from './UserDirectory';
import { userDetail, userSummary } from './userViews';

/**
 * /api/users: list (paged, filterable by email, extension number or name), create, read, update, destroy, bind,
 * and the admin's password reset.
 */
export function userRoutes(tenant: PbxTenant): Route[] {
  const existing = ({ params }: RouteRequest): UserRecord => {
    const record = tenant.users.get(params[0]!);
    if (!record) throw notFound(`The user ${params[0]} does not exist`);
    return record;
  };

  return [
    {
      method: 'GET',
      path: '/api/users',
      handle: ({ query }) => {
        refuseQueryOptions(query, ['search', 'orderby']);
        const filter = query.get('filter');
        const page = tenant.users.page(parsePaging(query), filter ? parseUserFilter(filter) : undefined);
        return { status: 200, body: { count: page.count, items: page.items.map(userSummary) } };
      },
    },
    { method: 'POST', path: '/api/users', write: 'users', handle: ({ body }) => ({ status: 201, body: { id: createUser(tenant, body) } }) },
    { method: 'GET', path: '/api/users/{id}', handle: (request) => ({ status: 200, body: userDetail(existing(request)) }) },
    {
      method: 'POST',
      path: '/api/users/{id}',
      write: 'users',
      handle: (request) => {
        updateUser(tenant, existing(request), request.body);
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      path: '/api/users/{id}/destroy',
      write: 'users',
      handle: (request) => {
        tenant.removeUser(existing(request));
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/api/users/{id}/password',
      write: 'passwords',
      handle: (request) => {
        changePassword(tenant, existing(request), parseBody(PasswordBody, request.body).password);
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      path: '/api/users/{id}/ms365_binding',
      write: 'users',
      handle: (request) => {
        const record = existing(request);
        // ⚠ Whether binding changes sync_type, or refuses an Entra id bound elsewhere, is undocumented: neither here.
        record.user.ms365_binding = parseBody(BindingBody, request.body).id;
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      path: '/api/users/{id}/ms365_binding/destroy',
      write: 'users',
      handle: (request) => {
        existing(request).user.ms365_binding = null;
        return { status: 204 };
      },
    },
  ];
}
