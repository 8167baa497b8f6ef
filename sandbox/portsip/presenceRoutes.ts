import { z } from 'zod';
import { parseBody } from './parseBody';
import { notFound, validationFailed } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type ChosenPresence, CHOSEN_PRESENCES, writablePresenceNames } from './presenceNames';
import { type Route, type RouteRequest } from './Route';
import { type UserRecord } from './UserDirectory';

/** POST /api/user/presence: the name is checked against the API version after the shape. */
const PresenceBody = z.object({
  presence: z.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') }),
  presence_note: z.string().max(128, 'must be at most 128 characters').nullish(),
});

/**
 * Presence (v22): a user sets their own with `POST /api/user/presence` (PortSIP has no admin route to set
 * another user's; the admin's DND switch is `enable_dnd` on the user update), and both the admin
 * (`GET /api/users/{id}/status`) and the user (`GET /api/user/status`) read it. Names follow the sandbox's API
 * version (presenceNames.ts), and a name of the other version is refused with 400.
 */
export function presenceRoutes(tenant: PbxTenant): Route[] {
  const { presences } = tenant;
  const me = ({ caller }: RouteRequest): UserRecord => tenant.users.get(caller?.kind === 'user' ? caller.userId : '')!;
  const chosenFrom = (name: string): ChosenPresence => {
    const writable = writablePresenceNames(presences.apiVersion);
    const index = writable.indexOf(name);
    if (index < 0) throw validationFailed('presence', `must be one of ${writable.join(', ')} (PortSIP API ${presences.apiVersion})`);
    return CHOSEN_PRESENCES[index]!;
  };
  return [
    {
      method: 'POST',
      path: '/api/user/presence',
      access: 'user',
      write: 'presence',
      handle: (request) => {
        const b = parseBody(PresenceBody, request.body);
        presences.write(me(request), chosenFrom(b.presence), b.presence_note);
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      path: '/api/user/status',
      access: 'user',
      handle: (request) => ({ status: 200, body: presences.statusAnswer(me(request)) }),
    },
    {
      method: 'GET',
      path: '/api/users/{id}/status',
      handle: ({ params }) => {
        const record = tenant.users.get(params[0]!);
        if (!record) throw notFound(`The user ${params[0]} does not exist`);
        return { status: 200, body: presences.statusAnswer(record) };
      },
    },
  ];
}
