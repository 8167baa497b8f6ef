import { GROUP_PROPERTIES, PEER_PROPERTIES } from './entityProperties';
import { contextUrl, type EntitySetShape, listAnswer, parseKey, parseListQuery, parseSelect, project } from './odataQuery';
import { type DnRecord, type GroupRecord, type PbxDirectory } from './PbxDirectory';
import { type XapiContext, type XapiRoute } from './XapiRoute';
import { badRequest, notFound } from './XapiError';

export const PEERS: EntitySetShape = { name: 'Peers', typeName: 'Pbx.Peer', properties: PEER_PROPERTIES, maxTop: 100 };
// ⚠ Whether Groups also caps $top at 100 is unverified (assumed in the notes); the sandbox does not cap it.
export const GROUPS: EntitySetShape = { name: 'Groups', typeName: 'Pbx.Group', properties: GROUP_PROPERTIES };

/** Any DN as Pbx.Peer: users are `Extension`, with their department memberships in `MemberOf`. */
function peerRow(directory: PbxDirectory, dn: DnRecord): Record<string, unknown> {
  const user = dn.type === 'Extension' ? directory.users.get(dn.id) : undefined;
  const memberOf = (user?.groups ?? []).map((m) => {
    const group = directory.groups.get(m.groupId);
    return {
      GroupID: m.groupId,
      IsPrimary: m.groupId === user?.primaryGroupId,
      Name: group?.name ?? null,
      Number: group?.number ?? null,
      RoleName: m.roleName,
    };
  });
  return {
    Id: dn.id,
    Number: dn.number,
    Name: dn.name,
    Type: dn.type,
    Hidden: false,
    Tags: user ? [...user.tags] : [],
    MemberOf: memberOf,
  };
}

function groupRow(directory: PbxDirectory, group: GroupRecord): Record<string, unknown> {
  const hasMembers = [...directory.users.values()].some((u) => u.groups.some((m) => m.groupId === group.id));
  return {
    Id: group.id,
    Number: group.number,
    Name: group.name,
    IsDefault: group.isDefault,
    HasMembers: hasMembers,
    Language: 'EN',
    TimeZoneId: '51',
  };
}

/** Peers (every DN, the way a client tests whether a number is free) and Groups (departments), read-only. */
export function directoryRoutes({ baseUrl, directory }: XapiContext): XapiRoute[] {
  return [
    {
      method: 'GET',
      pattern: /^\/Peers$/,
      name: 'GET /Peers',
      handle: ({ query }) => {
        const rows = directory.allDns().map((dn) => peerRow(directory, dn));
        return { status: 200, body: listAnswer(baseUrl, PEERS, rows, parseListQuery(query, PEERS)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Peers\(([^/]+)\)$/,
      name: 'GET /Peers({key})',
      handle: ({ key, query }) => {
        const parsed = parseKey(key ?? '');
        // The spec gives Peers only the alternate key Number.
        if (!('number' in parsed)) throw badRequest("Peers are addressed by Number: Peers(Number='…').");
        const select = parseSelect(query.get('$select'), PEERS);
        const dn = directory.dnByNumber(parsed.number);
        // ⚠ 404 for a free number is assumed, not seen live.
        if (!dn) throw notFound('Peer');
        return {
          status: 200,
          body: { '@odata.context': contextUrl(baseUrl, 'Peers', select, true), ...project(peerRow(directory, dn), select) },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Groups$/,
      name: 'GET /Groups',
      handle: ({ query }) => {
        const rows = [...directory.groups.values()].map((g) => groupRow(directory, g));
        return { status: 200, body: listAnswer(baseUrl, GROUPS, rows, parseListQuery(query, GROUPS)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Groups\(([^/]+)\)$/,
      name: 'GET /Groups({key})',
      handle: ({ key, query }) => {
        const parsed = parseKey(key ?? '');
        const group = [...directory.groups.values()].find((g) => ('id' in parsed ? g.id === parsed.id : g.number === parsed.number));
        if (!group) throw notFound('Group');
        const select = parseSelect(query.get('$select'), GROUPS);
        return {
          status: 200,
          body: { '@odata.context': contextUrl(baseUrl, 'Groups', select, true), ...project(groupRow(directory, group), select) },
        };
      },
    },
  ];
}
