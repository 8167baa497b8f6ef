import { type EntraApplication } from './EntraApplication';
import { checkClientAssertion } from './clientAssertion';
import { entraErrors } from './entraErrors';
import { JWT_BEARER, type TokenForm } from './entraSchemas';
import { passwordMatches } from './passwordCredentials';

export interface ClientCredentialsDeps {
  /** Certificate and secret validity clock. */
  now(): number;
  /** Client assertion freshness clock. */
  assertionNow(): number;
  applicationByAppId(appId: string): EntraApplication | undefined;
  /** Whether `directoryId` has an admin's consent for the app (its home directory always has). */
  isConsented(directoryId: string, appId: string): boolean;
}

export interface GrantedToken {
  appId: string;
  resource: string;
  /** 'secret', or the client assertion's algorithm and thumbprint headers (e.g. 'PS256 x5t#S256'). */
  credential: string;
}

/**
 * `grant_type=client_credentials` in `directoryId` (already known to exist): the app must be usable there (its home
 * directory, or a multi-tenant app an admin of that directory consented to), authenticate with an unexpired secret
 * or a certificate assertion, and ask for `<resource>/.default`. Throws EntraOAuthError.
 */
export function grantClientCredentials(
  deps: ClientCredentialsDeps,
  directoryId: string,
  tokenEndpoint: string,
  form: TokenForm,
): GrantedToken {
  if (!form.grant_type) throw entraErrors.missingParameter('grant_type');
  if (form.grant_type !== 'client_credentials') throw entraErrors.unsupportedGrant();
  if (!form.client_id) throw entraErrors.missingParameter('client_id');
  if (!form.scope) throw entraErrors.missingParameter('scope');
  const app = deps.applicationByAppId(form.client_id);
  if (!app) throw entraErrors.appNotFound(form.client_id, directoryId);
  if (directoryId !== app.homeDirectoryId) {
    // A single-tenant app has no service principal outside its home directory.
    if (!app.multiTenant) throw entraErrors.appNotFound(app.appId, directoryId);
    // ⚠ Real Entra may answer AADSTS700016 when no service principal exists at all and AADSTS65001 when one exists
    // without the permission grant; the sandbox models consent as one step and uses 65001.
    if (!deps.isConsented(directoryId, app.appId)) throw entraErrors.notConsented(app.appId, app.displayName);
  }
  const credential = authenticate(deps, app, tokenEndpoint, form);
  const scopes = form.scope.split(' ').filter(Boolean);
  const scope = scopes[0];
  if (scopes.length !== 1 || scope === undefined || !scope.endsWith('/.default') || scope === '/.default')
    throw entraErrors.invalidScope(form.scope);
  return { appId: app.appId, resource: scope.slice(0, -'/.default'.length), credential };
}

function authenticate(deps: ClientCredentialsDeps, app: EntraApplication, tokenEndpoint: string, form: TokenForm): string {
  if (form.client_secret !== undefined && form.client_assertion !== undefined) throw entraErrors.twoCredentials();
  if (form.client_secret !== undefined) {
    const secret = form.client_secret;
    const match = app.passwordCredentials.find((p) => passwordMatches(p, secret));
    if (!match) throw entraErrors.invalidSecret(app.appId);
    if (Date.parse(match.endDateTime) <= deps.now()) throw entraErrors.expiredSecret(app.appId);
    return 'secret';
  }
  if (form.client_assertion === undefined) throw entraErrors.noCredential();
  if (form.client_assertion_type !== JWT_BEARER) throw entraErrors.badAssertionType();
  return checkClientAssertion({
    assertion: form.client_assertion,
    clientId: app.appId,
    tokenEndpoint,
    certificates: app.keyCredentials,
    now: deps.now(),
    assertionNow: deps.assertionNow(),
  }).format;
}
