import { parseBody, userBody, type UserBody, batchDeleteBody } from './bodies';
import { USER_PROPERTIES } from './entityProperties';
import { contextUrl, type EntitySetShape, listAnswer, parseExpand, parseKey, parseListQuery, parseSelect, project } from './odataQuery';
import { derivedName, type Membership, newSecrets, type PbxDirectory, type UserRecord } from './PbxDirectory';
import { type XapiContext, type XapiRoute } from './XapiRoute';
import { fieldWarning, notFound } from './XapiError';

/** ⚠ `ProvLink` is not in the spec's Pbx.User, but live reads without `$select` carry provisioning links. */
const USER_FIELDS: ReadonlySet<string> = new Set([...USER_PROPERTIES, 'ProvLink']);

export const USERS: EntitySetShape = {
  name: 'Users',
  typeName: 'Pbx.User',
  properties: USER_FIELDS,
  maxTop: 100,
  expandable: new Set(['Groups']),
};

/** A user as XAPI shows it without `$select`: every stored field, the credentials included. */
export function userRow(user: UserRecord): Record<string, unknown> {
  return {
    Id: user.id,
    Number: user.number,
    FirstName: user.firstName,
    LastName: user.lastName,
    DisplayName: user.displayName,
    EmailAddress: user.email,
    Mobile: user.mobile,
    OutboundCallerID: user.outboundCallerId,
    Enabled: user.enabled,
    Tags: [...user.tags],
    PrimaryGroupId: user.primaryGroupId,
    Language: user.language,
    CurrentProfileName: 'Available',
    IsRegistered: false,
    QueueStatus: 'LoggedOut',
    Internal: false,
    HideInPhonebook: false,
    VMEnabled: true,
    Require2FA: false,
    AuthID: user.secrets.authId,
    AuthPassword: user.secrets.authPassword,
    VMPIN: user.secrets.vmPin,
    DeskphonePassword: user.secrets.deskphonePassword,
    ProvLink: user.secrets.provLink,
  };
}

/** `Groups` when expanded: Pbx.UserGroup items, with `Rights` only under a nested `$expand=Rights`. */
function expandedGroups(directory: PbxDirectory, user: UserRecord | undefined, expand: string[]): Record<string, unknown> {
  const item = expand.find((e) => e.startsWith('Groups'));
  if (!item || !user) return {};
  const withRights = /\$expand=Rights/.test(item);
  return {
    Groups: user.groups.map((m) => {
      const group = directory.groups.get(m.groupId);
      return {
        GroupId: m.groupId,
        Name: group?.name ?? null,
        Number: group?.number ?? null,
        ...(withRights ? { Rights: { RoleName: m.roleName } } : {}),
      };
    }),
  };
}

function findUser(directory: PbxDirectory, rawKey: string | undefined): UserRecord {
  const key = parseKey(rawKey ?? '');
  const user = 'id' in key ? directory.users.get(key.id) : directory.userByNumber(key.number);
  if (!user) throw notFound('User');
  return user;
}

function memberships(directory: PbxDirectory, body: UserBody): Membership[] | undefined {
  if (!body.Groups) return undefined;
  return body.Groups.map((g) => {
    if (!directory.groups.has(g.GroupId)) throw fieldWarning('Groups', 'WARNINGS.XAPI.NOT_FOUND');
    return { groupId: g.GroupId, roleName: g.Rights?.RoleName ?? 'users' };
  });
}

const textOf = (value: string | null | undefined, fallback: string): string => (value === undefined ? fallback : (value ?? ''));

function createUser(directory: PbxDirectory, body: UserBody): UserRecord {
  let number = body.Number;
  if (number === undefined) {
    number = directory.firstFreeNumber();
    // ⚠ The answer when every number of ENL digits is taken is unverified.
    if (number === undefined) throw fieldWarning('Number', 'WARNINGS.XAPI.NO_FREE_NUMBER');
  } else directory.checkNewNumber(number);
  // 3CX (and S-SYNC, which forces it) puts a new user in the default department with role `users`.
  const groups = memberships(directory, body) ?? [{ groupId: directory.defaultGroup.id, roleName: 'users' }];
  if (body.PrimaryGroupId !== undefined && !directory.groups.has(body.PrimaryGroupId))
    throw fieldWarning('PrimaryGroupId', 'WARNINGS.XAPI.NOT_FOUND');
  const firstName = textOf(body.FirstName, '');
  const lastName = textOf(body.LastName, '');
  const secrets = newSecrets(number);
  const user: UserRecord = {
    id: directory.newDnId(),
    number,
    firstName,
    lastName,
    // ⚠ That 3CX derives DisplayName from the names when none is sent is inferred, not verified.
    displayName: body.DisplayName ? body.DisplayName : derivedName(firstName, lastName),
    derivedDisplayName: !body.DisplayName,
    // Duplicate e-mails are allowed: 3CX only offers helpers that flag them (HasDuplicatedEmail) ⚠.
    email: textOf(body.EmailAddress, ''),
    mobile: body.Mobile ?? null,
    outboundCallerId: textOf(body.OutboundCallerID, ''),
    enabled: body.Enabled ?? true,
    tags: body.Tags ? [...body.Tags] : [],
    primaryGroupId: body.PrimaryGroupId ?? groups[0]?.groupId ?? directory.defaultGroup.id,
    language: textOf(body.Language, 'EN'),
    groups,
    secrets: {
      ...secrets,
      ...(body.AuthID ? { authId: body.AuthID } : {}),
      ...(body.AuthPassword ? { authPassword: body.AuthPassword } : {}),
      ...(body.VMPIN ? { vmPin: body.VMPIN } : {}),
      ...(body.DeskphonePassword ? { deskphonePassword: body.DeskphonePassword } : {}),
    },
  };
  directory.users.set(user.id, user);
  return user;
}

/** PATCH: scalars present in the body replace the stored ones, arrays (`Groups`, `Tags`) replace whole lists. */
function updateUser(directory: PbxDirectory, user: UserRecord, body: UserBody): void {
  // The extension number is immutable (TUT expects the rejection). ⚠ The warning text is unverified.
  if (body.Number !== undefined && body.Number !== user.number) throw fieldWarning('Number', 'WARNINGS.XAPI.CANNOT_BE_CHANGED');
  const groups = memberships(directory, body);
  if (body.PrimaryGroupId !== undefined && !directory.groups.has(body.PrimaryGroupId))
    throw fieldWarning('PrimaryGroupId', 'WARNINGS.XAPI.NOT_FOUND');
  user.firstName = textOf(body.FirstName, user.firstName);
  user.lastName = textOf(body.LastName, user.lastName);
  if (body.DisplayName) {
    user.displayName = body.DisplayName;
    user.derivedDisplayName = false;
  } else if (user.derivedDisplayName) user.displayName = derivedName(user.firstName, user.lastName);
  user.email = textOf(body.EmailAddress, user.email);
  if (body.Mobile !== undefined) user.mobile = body.Mobile;
  user.outboundCallerId = textOf(body.OutboundCallerID, user.outboundCallerId);
  user.language = textOf(body.Language, user.language);
  if (body.Enabled !== undefined) user.enabled = body.Enabled;
  if (body.PrimaryGroupId !== undefined) user.primaryGroupId = body.PrimaryGroupId;
  if (body.Tags) user.tags = [...body.Tags];
  // ⚠ Replace semantics for Groups are seen live for queue agents only; `[]` leaving no department is allowed (TUT).
  if (groups) user.groups = groups;
  if (body.AuthPassword) user.secrets.authPassword = body.AuthPassword;
  if (body.VMPIN) user.secrets.vmPin = body.VMPIN;
}

export function userRoutes({ baseUrl, directory }: XapiContext): XapiRoute[] {
  const entity = (user: UserRecord, select: string[] | undefined, expand: string[]) => ({
    '@odata.context': contextUrl(baseUrl, 'Users', select, true),
    ...project(userRow(user), select, expandedGroups(directory, user, expand)),
  });
  return [
    {
      method: 'GET',
      pattern: /^\/Users$/,
      name: 'GET /Users',
      handle: ({ query }) => {
        const options = parseListQuery(query, USERS);
        const rows = [...directory.users.values()].sort((a, b) => a.id - b.id).map(userRow);
        const body = listAnswer(baseUrl, USERS, rows, options, (row) =>
          expandedGroups(directory, directory.users.get(row.Id as number), options.expand),
        );
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Users\/Pbx\.GetFirstAvailableExtensionNumber\(\)$/,
      name: 'GET /Users/Pbx.GetFirstAvailableExtensionNumber()',
      handle: () => ({
        status: 200,
        body: { '@odata.context': `${baseUrl}/xapi/v1/$metadata#Pbx.FirstAvailableNumber`, Number: directory.firstFreeNumber() ?? null },
      }),
    },
    {
      method: 'POST',
      pattern: /^\/Users\/Pbx\.BatchDelete$/,
      name: 'POST /Users/Pbx.BatchDelete',
      write: true,
      handle: (request) => {
        const parsed = parseBody(batchDeleteBody, request.body());
        const ids = 'ids' in parsed ? parsed.ids : parsed.Ids;
        // ⚠ Pbx.UserDeleteError is {ExtensionNumber, Error}; whether successes are listed (with a null Error) is
        // unverified. The sandbox lists every id, adding Id and Number so a client can match items.
        const value = ids.map((id) => {
          const user = directory.users.get(id);
          if (!user) return { Id: id, Number: null, ExtensionNumber: null, Error: 'WARNINGS.XAPI.NOT_FOUND' };
          directory.users.delete(id);
          return { Id: id, Number: user.number, ExtensionNumber: user.number, Error: null };
        });
        return { status: 200, body: { '@odata.context': `${baseUrl}/xapi/v1/$metadata#Collection(Pbx.UserDeleteError)`, value } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/Users$/,
      name: 'POST /Users',
      write: true,
      handle: (request) => {
        const user = createUser(directory, parseBody(userBody, request.body(), USER_FIELDS, 'Pbx.User'));
        return { status: 201, body: entity(user, undefined, []), headers: { location: `${baseUrl}/xapi/v1/Users(${user.id})` } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Users\(([^/]+)\)$/,
      name: 'GET /Users({key})',
      handle: ({ key, query }) => {
        const user = findUser(directory, key);
        return { status: 200, body: entity(user, parseSelect(query.get('$select'), USERS), parseExpand(query.get('$expand'), USERS)) };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/Users\(([^/]+)\)$/,
      name: 'PATCH /Users({key})',
      write: true,
      handle: (request) => {
        const user = findUser(directory, request.key);
        const body = parseBody(userBody, request.body(), USER_FIELDS, 'Pbx.User');
        // Validate on a copy so a rejected PATCH changes nothing.
        const draft: UserRecord = structuredClone(user);
        updateUser(directory, draft, body);
        directory.users.set(user.id, draft);
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/Users\(([^/]+)\)$/,
      name: 'DELETE /Users({key})',
      write: true,
      handle: ({ key }) => {
        const user = findUser(directory, key);
        // ⚠ What happens to the user's voicemail and recordings is unverified; the sandbox just forgets the user.
        directory.users.delete(user.id);
        return { status: 204 };
      },
    },
  ];
}
