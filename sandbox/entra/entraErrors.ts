import { randomUUID } from 'node:crypto';
import { type ServerResponse } from 'node:http';

/** An OAuth error the token endpoint answers, in Entra's shape (`error_description` starts with the AADSTS code). */
export class EntraOAuthError extends Error {
  override readonly name = 'EntraOAuthError';

  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }
}

/**
 * The refusals the sandbox gives, with the status, OAuth error and AADSTS code Entra uses for them. Codes marked
 * ⚠ are the sandbox's best reading of Entra's error catalogue, not captured from a live tenant.
 */
export const entraErrors = {
  unknownDirectory: (directoryId: string) =>
    new EntraOAuthError(
      400,
      'invalid_request',
      90002,
      `Tenant '${directoryId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ),
  missingParameter: (name: string) =>
    new EntraOAuthError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrant: () => new EntraOAuthError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'),
  noCredential: () =>
    new EntraOAuthError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  // ⚠ code for a request carrying both a secret and an assertion.
  twoCredentials: () => new EntraOAuthError(400, 'invalid_request', 90014, 'Only one of client_secret and client_assertion may be sent.'),
  // ⚠ code for an unknown client_assertion_type.
  badAssertionType: () =>
    new EntraOAuthError(
      400,
      'invalid_request',
      50027,
      "client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
    ),
  appNotFound: (appId: string, directoryId: string) =>
    new EntraOAuthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${appId}' was not found in the directory '${directoryId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  notConsented: (appId: string, displayName: string) =>
    new EntraOAuthError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${appId}' named '${displayName}'. Send an interactive authorization request for this user and resource.`,
    ),
  invalidSecret: (appId: string) =>
    new EntraOAuthError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    ),
  expiredSecret: (appId: string) =>
    new EntraOAuthError(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  malformedAssertion: (why: string) => new EntraOAuthError(401, 'invalid_client', 50027, `JWT token is invalid or malformed. ${why}`),
  assertionIssuer: () =>
    new EntraOAuthError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter."),
  // ⚠ code for an audience that is not this directory's token endpoint.
  assertionAudience: (expected: string) =>
    new EntraOAuthError(401, 'invalid_client', 700212, `Client assertion audience claim does not match the token endpoint '${expected}'.`),
  assertionTime: () => new EntraOAuthError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.'),
  assertionSignature: (reason: string, thumbprint: string | undefined) =>
    new EntraOAuthError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - ${reason}${thumbprint ? `, Thumbprint of key used by client: '${thumbprint}'` : ''}]`,
    ),
  invalidScope: (scope: string) =>
    new EntraOAuthError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  transient: (status: number) =>
    new EntraOAuthError(
      status,
      status === 429 ? 'temporarily_unavailable' : 'server_error',
      90033,
      'A transient error has occurred. Please try again.',
    ),
};

/** Writes the error as Entra does: JSON with error, error_description, error_codes and trace fields. */
export function sendEntraError(res: ServerResponse, err: EntraOAuthError, now: number, headers: Record<string, string> = {}): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date(now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const body = {
    error: err.error,
    error_description: `AADSTS${err.aadsts}: ${err.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.aadsts}`,
  };
  res.writeHead(err.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
