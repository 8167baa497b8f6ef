import { type GraphUser } from '../../graph/GraphUser';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';
import { usableEmail } from './usableEmail';

// PortSIP v22.6 limits (docs/PORTSIP.md): display_name ≤128, phones ≤32, department ≤128.
const clip = (value: string | null | undefined, max: number): string => (value ?? '').trim().slice(0, max);

export function displayNameOf(user: GraphUser): string {
  const explicit = user.displayName?.trim();
  if (explicit) return explicit;
  return [user.givenName, user.surname]
    .map((s) => s?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}

/**
 * What the PBX extension should hold for this Entra user. A property that is null or missing in Graph maps
 * to '' so a cleared field clears on the PBX too.
 */
export function desiredPbxFields(user: GraphUser, enabled = true): PbxUserFields {
  return {
    displayName: clip(displayNameOf(user), 128),
    email: usableEmail(user) ?? '',
    mobilePhone: clip(user.mobilePhone, 32),
    workPhone: clip(
      user.businessPhones?.find((p) => p.trim() !== ''),
      32,
    ),
    department: clip(user.department, 128),
    enabled,
  };
}
