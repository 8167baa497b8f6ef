import { NUMBER_HOLDER_LISTS } from './numberHolderLists';
import { notFound, PbxError } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { PRESENCE_CONTROL_ROUTES } from './sandboxPresenceRoutes';
import { LATENCY_CONTROL_ROUTE } from './sandboxLatencyRoute';
import { sandboxUserView } from './sandboxUserView';

export interface ViewAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const VIEW_ROUTES = [
  { method: 'GET', path: '/_sandbox', shows: 'this index' },
  { method: 'GET', path: '/_sandbox/users', shows: 'every PBX user as stored, in creation order' },
  { method: 'GET', path: '/_sandbox/users/{id}', shows: 'one PBX user' },
  { method: 'GET', path: '/_sandbox/groups', shows: 'every user group with its members by extension number, in creation order' },
  { method: 'GET', path: '/_sandbox/contacts', shows: 'the company phonebook, in creation order' },
  { method: 'GET', path: '/_sandbox/users/{id}/contacts', shows: "one user's personal contacts, and whether they have a picture" },
];

/**
 * A read-only look into the sandbox PBX for manual demos (loopback only, no auth, like the sandbox Graph's
 * /_sandbox): what the connector has written, without signing in with the admin password. Its requests are
 * not PortSIP traffic, so they skip the rate limit, faults, latency and stats. Never shows a secret.
 */
export function sandboxViewAnswer(tenant: PbxTenant, method: string, url: URL): ViewAnswer {
  try {
    return route(tenant, method, url.pathname);
  } catch (err) {
    if (err instanceof PbxError) return { status: err.status, body: err.body() };
    if (err instanceof URIError)
      return { status: 400, body: new PbxError(400, 'VALIDATE_FAILED', 'a path segment is not valid percent-encoding').body() };
    throw err;
  }
}

function route(tenant: PbxTenant, method: string, path: string): ViewAnswer {
  const userMatch = /^\/_sandbox\/users\/([^/]+)$/.exec(path);
  const contactsMatch = /^\/_sandbox\/users\/([^/]+)\/contacts$/.exec(path);
  const known =
    ['/_sandbox', '/_sandbox/', '/_sandbox/users', '/_sandbox/groups', '/_sandbox/contacts'].includes(path) || userMatch || contactsMatch;
  if (!known) throw notFound(`no sandbox view ${path}; GET /_sandbox lists them`);
  if (method !== 'GET')
    return {
      status: 405,
      body: new PbxError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; the sandbox view is read-only`).body(),
      headers: { allow: 'GET' },
    };
  if (userMatch) {
    const id = decodeURIComponent(userMatch[1]!);
    const record = tenant.users.get(id);
    if (!record) throw notFound(`no user ${id}`);
    return { status: 200, body: sandboxUserView(record.user) };
  }
  if (contactsMatch) {
    const id = decodeURIComponent(contactsMatch[1]!);
    const record = tenant.users.get(id);
    if (!record) throw notFound(`no user ${id}`);
    const contacts = tenant.personalContactsOf(record.user.id).all();
    return { status: 200, body: { count: contacts.length, hasPicture: record.avatar !== undefined, value: contacts } };
  }
  if (path === '/_sandbox/contacts') {
    const contacts = tenant.companyContacts.all();
    return { status: 200, body: { count: contacts.length, value: contacts } };
  }
  if (path === '/_sandbox/groups') {
    const groups = tenant.groups.all().map((group) => ({
      id: group.id,
      name: group.name,
      description: group.description,
      members: [...group.members].flatMap((userId) => tenant.users.get(userId)?.user.extension_number ?? []),
    }));
    return { status: 200, body: { count: groups.length, value: groups } };
  }
  const users = tenant.users.all().map((record) => record.user);
  if (path === '/_sandbox/users') return { status: 200, body: { count: users.length, value: users.map(sandboxUserView) } };
  return {
    status: 200,
    body: {
      sandbox: 'PortSIP PBX',
      domain: tenant.admin.domain,
      apiVersion: tenant.presences.apiVersion,
      counts: {
        users: users.length,
        enabledUsers: users.filter((user) => user.enabled).length,
        boundToMicrosoft365: users.filter((user) => user.ms365_binding !== null).length,
        groups: tenant.groups.all().length,
        numberHolders: Object.fromEntries(NUMBER_HOLDER_LISTS.map((list) => [list.type, tenant.holders.ofType(list.type).length])),
      },
      routes: VIEW_ROUTES,
      // Kept apart from the read-only views: these change what the sandbox holds.
      controls: [...PRESENCE_CONTROL_ROUTES, LATENCY_CONTROL_ROUTE],
      api: 'the PortSIP REST API is under /api (sign in with the tenant admin)',
      note: 'read-only; passwords and picture bytes are not shown here',
    },
  };
}
