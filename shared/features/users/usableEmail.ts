import { type GraphUser } from '../../graph/GraphUser';
import { type PbxEmailRule } from '../../pbx/ports/PbxProfile';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function usable(candidate: string | null | undefined, rule: PbxEmailRule): string | undefined {
  const value = candidate?.trim();
  if (!value || value.length > rule.maxLength || !EMAIL.test(value)) return undefined;
  // A guest's UPN (alice_contoso.com#EXT#@tenant.onmicrosoft.com) is not an address anyone can mail.
  if (value.toUpperCase().includes('#EXT#')) return undefined;
  return value;
}

/**
 * The address the PBX gets: `mail`, else the UPN when it is a real address the product accepts (too long is
 * unusable, never cut); undefined when neither is usable.
 */
export function usableEmail(user: GraphUser, rule: PbxEmailRule): string | undefined {
  return usable(user.mail, rule) ?? usable(user.userPrincipalName, rule);
}
