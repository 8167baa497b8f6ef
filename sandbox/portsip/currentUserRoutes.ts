import { z } from 'zod';
import { contactRoutes } from './contactRoutes';
import { parseBody } from './parseBody';
import { validationFailed } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type Route, type RouteRequest } from './Route';
import { type UserRecord } from './UserDirectory';
import { userSummary } from './userViews';

/**
 * POST /api/user: of the signed-in user's own settings only `avatar_file_id` is modelled (the rest are
 * ignored). null or "" removes the picture: ⚠ unverified, the spec says nothing about removing an avatar.
 */
const CurrentUserBody = z.object({ avatar_file_id: z.string().nullish() });

/**
 * /api/user and /api/user/contacts: what a signed-in user does as themself (reference/portsip.md §2, §4): read
 * and update their own profile (the avatar) and manage their personal contacts. Only a user's token works here;
 * the admin's gets 403, as PortSIP has no admin path to these.
 */
export function currentUserRoutes(tenant: PbxTenant): Route[] {
  const me = ({ caller }: RouteRequest): UserRecord => tenant.users.get(caller?.kind === 'user' ? caller.userId : '')!;
  return [
    { method: 'GET', path: '/api/user', access: 'user', handle: (request) => ({ status: 200, body: userSummary(me(request)) }) },
    {
      method: 'POST',
      path: '/api/user',
      access: 'user',
      write: 'avatars',
      handle: (request) => {
        const record = me(request);
        const b = parseBody(CurrentUserBody, request.body);
        if (b.avatar_file_id !== undefined) {
          const file = b.avatar_file_id ? tenant.blobs.file(b.avatar_file_id) : undefined;
          if (b.avatar_file_id && !file) throw validationFailed('avatar_file_id', `no file ${b.avatar_file_id}`);
          record.avatar = file;
        }
        return { status: 200 };
      },
    },
    ...contactRoutes(tenant, {
      root: '/api/user/contacts',
      access: 'user',
      write: 'personalContacts',
      personal: true,
      bookOf: (request) => tenant.personalContactsOf(me(request).user.id),
    }),
  ];
}
