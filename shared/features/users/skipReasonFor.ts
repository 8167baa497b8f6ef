import { type GraphUser } from '../../graph/GraphUser';
import { type PbxProfile } from '../../pbx/ports/PbxProfile';
import { usableEmail } from './usableEmail';

export type SkipCode = 'missingName' | 'noUsableEmail';

/** Why the PBX product cannot (or, by its rules, should not) hold this user; undefined when it can. */
export function skipReasonFor(user: GraphUser, profile: PbxProfile): { code: SkipCode; message: string } | undefined {
  if (profile.requiresGivenNameOrSurname && !user.givenName?.trim() && !user.surname?.trim()) {
    return { code: 'missingName', message: 'user has neither a given name nor a surname' };
  }
  if (profile.email.required && !usableEmail(user, profile.email)) {
    return { code: 'noUsableEmail', message: 'user has no usable email address or user principal name' };
  }
  return undefined;
}
