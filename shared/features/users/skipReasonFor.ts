import { type GraphUser } from '../../graph/GraphUser';
import { usableEmail } from './usableEmail';

export type SkipCode = 'missingName' | 'noUsableEmail';

/** PortSIP's own rule: users with neither a given name nor a surname, or without a usable address, are not synced. */
export function skipReasonFor(user: GraphUser): { code: SkipCode; message: string } | undefined {
  if (!user.givenName?.trim() && !user.surname?.trim()) {
    return { code: 'missingName', message: 'user has neither a given name nor a surname' };
  }
  if (!usableEmail(user)) {
    return { code: 'noUsableEmail', message: 'user has no usable email address or user principal name' };
  }
  return undefined;
}
