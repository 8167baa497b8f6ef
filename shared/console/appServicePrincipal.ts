/**
 * App Service Authentication (Easy Auth) in front of the function app signs the operator in with Entra ID and
 * passes who it is in `x-ms-client-principal`: base64 of `{auth_typ, name_typ, role_typ, claims: [{typ, val}]}`.
 * App Service removes that header from incoming requests, so it can be believed only when Easy Auth is on
 * (CONSOLE_AUTH=appService); locally any program could send it, so the local host never reads it.
 */
export interface AppServicePrincipal {
  /** Whom the console shows as signed in (the name claim, else the UPN or e-mail). */
  name: string;
  /** A stable id (the Entra object id when present, else the name): what the CSRF token is bound to. */
  id: string;
  /** Entra group object ids from the `groups` claims (the app registration must emit them). */
  groups: string[];
}

interface Claim {
  typ: string;
  val: string;
}

const NAME_CLAIMS = [
  'name',
  'preferred_username',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'email',
];
const ID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const GROUP_CLAIMS = ['groups', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'];

/** The principal in the header, or undefined when the header is missing, not base64 JSON, or names nobody. */
export function parseAppServicePrincipal(header: string | null | undefined): AppServicePrincipal | undefined {
  if (!header || header.length > 64 * 1024) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { claims: rawClaims, name_typ: nameType } = parsed as { claims?: unknown; name_typ?: unknown };
  if (!Array.isArray(rawClaims)) return undefined;
  const claims = rawClaims.filter(
    (c): c is Claim => typeof c === 'object' && c !== null && typeof (c as Claim).typ === 'string' && typeof (c as Claim).val === 'string',
  );
  const first = (types: readonly string[]) => types.map((t) => claims.find((c) => c.typ === t && c.val !== '')?.val).find(Boolean);
  const name = first(typeof nameType === 'string' ? [nameType, ...NAME_CLAIMS] : NAME_CLAIMS);
  if (!name) return undefined;
  return { name, id: first(ID_CLAIMS) ?? name, groups: claims.filter((c) => GROUP_CLAIMS.includes(c.typ)).map((c) => c.val) };
}

/** Whether the principal may use the console: any signed-in principal without CONSOLE_ALLOWED_GROUP, else a member of it. */
export function isInAllowedGroup(principal: AppServicePrincipal, allowedGroup: string | undefined): boolean {
  if (allowedGroup === undefined) return true;
  return principal.groups.some((group) => group.toLowerCase() === allowedGroup.toLowerCase());
}
