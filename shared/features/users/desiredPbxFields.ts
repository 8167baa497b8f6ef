import { type GraphUser } from '../../graph/GraphUser';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type PbxProfile } from '../../pbx/ports/PbxProfile';
import { clipUserFields } from '../../pbx/ports/clipUserFields';
import { usableEmail } from './usableEmail';

export function displayNameOf(user: GraphUser): string {
  const explicit = user.displayName?.trim();
  if (explicit) return explicit;
  return [user.givenName, user.surname]
    .map((s) => s?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}

/**
 * What the PBX extension should hold for this Entra user, cut to the product's limits. A property that is
 * null or missing in Graph maps to '' so a cleared field clears on the PBX too.
 */
export function desiredPbxFields(user: GraphUser, profile: PbxProfile, enabled = true): PbxUserFields {
  return clipUserFields(
    {
      displayName: displayNameOf(user),
      email: usableEmail(user, profile.email) ?? '',
      mobilePhone: user.mobilePhone ?? '',
      workPhone: user.businessPhones?.find((p) => p.trim() !== '') ?? '',
      department: user.department ?? '',
      enabled,
    },
    profile.fieldLimits,
  );
}
