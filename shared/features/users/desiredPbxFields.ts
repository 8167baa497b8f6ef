import { type GraphUser } from '../../graph/GraphUser';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type PbxCallerId } from '../../pbx/ports/PbxCallerId';
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
 * null or missing in Graph maps to '' so a cleared field clears on the PBX too. `outboundCallerId` is the
 * value outboundCallerIdFor computed (null: none of ours, e.g. the option is off or the number unusable).
 */
export function desiredPbxFields(
  user: GraphUser,
  profile: PbxProfile,
  enabled = true,
  outboundCallerId: PbxCallerId | null = null,
): PbxUserFields {
  return clipUserFields(
    {
      displayName: displayNameOf(user),
      email: usableEmail(user, profile.email) ?? '',
      mobilePhone: user.mobilePhone ?? '',
      workPhone: user.businessPhones?.find((p) => p.trim() !== '') ?? '',
      department: user.department ?? '',
      enabled,
      outboundCallerId,
      ...(profile.splitNames ? { givenName: user.givenName ?? '', surname: user.surname ?? '' } : {}),
    },
    profile.fieldLimits,
  );
}
