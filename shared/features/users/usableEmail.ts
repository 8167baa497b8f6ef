import { type GraphUser } from '../../graph/GraphUser';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL = 128; // PortSIP user email limit

function usable(candidate: string | null | undefined): string | undefined {
  const value = candidate?.trim();
  if (!value || value.length > MAX_EMAIL || !EMAIL.test(value)) return undefined;
  // A guest's UPN (alice_contoso.com#EXT#@tenant.onmicrosoft.com) is not an address anyone can mail.
  if (value.toUpperCase().includes('#EXT#')) return undefined;
  return value;
}

/** The address the PBX gets: `mail`, else the UPN when it is a real address; undefined when neither is usable. */
export function usableEmail(user: GraphUser): string | undefined {
  return usable(user.mail) ?? usable(user.userPrincipalName);
}
