import { type PbxCallerId } from '../ports/PbxCallerId';
import { type PbxUser } from '../ports/PbxUser';
import { type PbxUserFields } from '../ports/PbxUserFields';
import { type ThreeCxUser } from './threeCxSchemas';

/**
 * The split names the users feature sends when the profile says `splitNames` (PbxUserFields gains them as
 * optional fields); written as an intersection so this compiles whether or not the port has them yet.
 */
export interface SplitNames {
  givenName?: string | undefined;
  surname?: string | undefined;
}
export type ThreeCxUserFields = PbxUserFields & SplitNames;
export type ThreeCxPbxUser = PbxUser & { givenName: string; surname: string };

/**
 * A 3CX user as the port's PbxUser. `userName` is the extension number: 3CX has no login name of its own.
 * workPhone and department are '' because 3CX users have no such fields. `outboundCallerId` is left out
 * (unknown): 3CX keeps one caller ID string, not one per provider, so the reader cannot say whose it is.
 */
export function toPbxUser(user: ThreeCxUser): ThreeCxPbxUser {
  const derived = [user.FirstName, user.LastName].filter(Boolean).join(' ');
  return {
    id: user.Id,
    userName: user.Number,
    extensionNumber: user.Number,
    displayName: user.DisplayName || derived,
    givenName: user.FirstName,
    surname: user.LastName,
    email: user.EmailAddress,
    mobilePhone: user.Mobile,
    workPhone: '',
    department: '',
    enabled: user.Enabled,
  };
}

/**
 * 3CX's `OutboundCallerID`: ONE string per user, tied to no trunk, so only `callerId` is written and
 * `providerId` is dropped. null (the connector's caller ID is no longer wanted) clears it: the planner sends
 * null only after it set one, so the value it clears is its own.
 */
export const outboundCallerIdFor = (callerId: PbxCallerId | null | undefined): string => callerId?.callerId ?? '';

/**
 * FirstName and LastName for a user or contact: the split names when either is given, else the display name
 * as FirstName (3CX shows "FirstName LastName"; without this a user known only by display name shows blank).
 */
export function firstAndLast(displayName: string, names: SplitNames): { FirstName: string; LastName: string } {
  const given = names.givenName ?? '';
  const surname = names.surname ?? '';
  return given || surname ? { FirstName: given, LastName: surname } : { FirstName: displayName, LastName: '' };
}

/** The POST /Users body for a new user (no secrets in it: 3CX generates the SIP credentials itself ⚠). */
export function newUserBody(extensionNumber: string, fields: ThreeCxUserFields): Record<string, unknown> {
  return {
    Number: extensionNumber,
    ...firstAndLast(fields.displayName, fields),
    // ⚠ 3CX may derive DisplayName from the names and ignore this; it is sent so a product that keeps it agrees.
    DisplayName: fields.displayName,
    EmailAddress: fields.email,
    Mobile: fields.mobilePhone,
    OutboundCallerID: outboundCallerIdFor(fields.outboundCallerId),
    Enabled: fields.enabled,
  };
}

/**
 * The PATCH body for the given changes only. Never Number (immutable); workPhone and department have no 3CX
 * field and are dropped, as is anything not a user field (a presence key smuggled past the types).
 */
export function userPatch(changes: Partial<ThreeCxUserFields>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (changes.displayName !== undefined) body.DisplayName = changes.displayName;
  if (changes.givenName !== undefined) body.FirstName = changes.givenName;
  if (changes.surname !== undefined) body.LastName = changes.surname;
  if (changes.email !== undefined) body.EmailAddress = changes.email;
  if (changes.mobilePhone !== undefined) body.Mobile = changes.mobilePhone;
  if (changes.enabled !== undefined) body.Enabled = changes.enabled;
  if (changes.outboundCallerId !== undefined) body.OutboundCallerID = outboundCallerIdFor(changes.outboundCallerId);
  return body;
}
