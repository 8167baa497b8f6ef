import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { z } from 'zod';
import { createSelfSignedCertificate } from '../../shared/platform/certificates/selfSignedCertificate';
import { applicationView, type ApplicationView, type EntraApplication } from './EntraApplication';
import { handleAdminConsent } from './adminConsent';
import {
  certificateIsValid,
  keyCredentialView,
  type KeyCredentialView,
  readCertificate,
  storedCertificate,
} from './certificateCredentials';
import { grantClientCredentials } from './clientCredentialsGrant';
import { EntraOAuthError, entraErrors, sendEntraError } from './entraErrors';
import { TokenFormSchema } from './entraSchemas';
import { newPassword } from './passwordCredentials';
import { readFormBody } from './readFormBody';

export type { ApplicationView } from './EntraApplication';
export type { KeyCredentialView } from './certificateCredentials';
export type { PasswordCredentialView } from './passwordCredentials';

export interface EntraSandboxOptions {
  /** Clock (epoch ms) for certificate, secret and access-token validity; default Date.now. See also advance(). */
  now?: () => number;
  /**
   * Clock (epoch ms) a client assertion's nbf/exp are checked against; default Date.now. MSAL stamps assertions
   * with the process's real clock, so a test that moves `now` (or calls advance) to expire a certificate still gets
   * its assertions accepted as fresh.
   */
  assertionClock?: () => number;
  /** Access token lifetime; default 3,599 s (Entra's usual expires_in for client credentials). */
  tokenLifetimeSeconds?: number;
}

export interface RegisterApplicationRequest {
  displayName: string;
  homeDirectoryId: string;
  multiTenant?: boolean;
  redirectUris?: string[];
}

/** What an issued access token stands for; the Graph sandbox asks this instead of validating a signed JWT. */
export interface AccessTokenGrant {
  appId: string;
  directoryId: string;
  /** The scope's resource, e.g. `https://graph.microsoft.com`. */
  resource: string;
  expiresAt: number;
}

/** A registered certificate as the Graph sandbox needs it to check an addKey/removeKey proof. */
export interface ProofKey {
  keyId: string;
  publicKey: KeyObject;
  /** base64url SHA-1 of the DER: a proof's `x5t` header. */
  x5t: string;
  validNow: boolean;
}

export interface EntraSandboxCounters {
  openIdConfiguration: number;
  tokenRequests: number;
  tokensIssued: number;
  /** Refused token requests (faults included), by AADSTS code. */
  tokenErrors: Record<string, number>;
  adminConsent: number;
  /** Tokens issued, by how the client authenticated: 'secret', or e.g. 'PS256 x5t#S256' for a certificate. */
  credentials: Record<string, number>;
  reset(): void;
}

/** A certificate already registered on the application (same thumbprint). */
export class DuplicateKeyCredentialError extends Error {
  override readonly name = 'DuplicateKeyCredentialError';
}

const RedirectUrisSchema = z.array(z.url().max(2000)).max(256);
const MAX_ISSUED_TOKENS = 10_000;

/**
 * Microsoft Entra ID's token service on localhost over HTTPS, for tests: directories, app registrations with
 * certificates and secrets, multi-tenant consent, OpenID discovery and the v2.0 token endpoint with the
 * client-credentials grant, answered so the real MSAL (through @azure/identity) signs in against it. Access tokens
 * are opaque strings the Graph sandbox checks through verifyAccessToken. Trust the server with `caPem`
 * (`tlsOptions: { ca }` on an @azure/identity credential).
 */
export class EntraSandbox {
  /** `https://127.0.0.1:PORT`: pass as an @azure/identity credential's authorityHost. */
  readonly authorityHost: string;
  /** The self-signed certificate the server presents; trust exactly this, not every certificate. */
  readonly caPem: string;
  private readonly baseNow: () => number;
  private readonly assertionClock: () => number;
  private readonly tokenLifetimeMs: number;
  private offsetMs = 0;
  private readonly directories = new Set<string>();
  private readonly applications = new Map<string, EntraApplication>();
  private readonly consents = new Map<string, Set<string>>();
  private readonly issued = new Map<string, AccessTokenGrant>();
  private pendingTokenFaults: number[] = [];
  private denials = 0;

  readonly faults = {
    /** The next `count` token requests answer `status` (429 or 5xx) with Retry-After: 1 and issue nothing. */
    failNextToken: (count: number, status = 503): void => {
      for (let i = 0; i < count; i += 1) this.pendingTokenFaults.push(status);
    },
  };

  readonly counters: EntraSandboxCounters;

  private constructor(
    private readonly server: Server,
    caPem: string,
    options: EntraSandboxOptions,
  ) {
    this.authorityHost = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.caPem = caPem;
    this.baseNow = options.now ?? Date.now;
    this.assertionClock = options.assertionClock ?? Date.now;
    this.tokenLifetimeMs = (options.tokenLifetimeSeconds ?? 3599) * 1000;
    const counters: EntraSandboxCounters = {
      openIdConfiguration: 0,
      tokenRequests: 0,
      tokensIssued: 0,
      tokenErrors: {},
      adminConsent: 0,
      credentials: {},
      reset: () => {
        counters.credentials = {};
        counters.openIdConfiguration = 0;
        counters.tokenRequests = 0;
        counters.tokensIssued = 0;
        counters.tokenErrors = {};
        counters.adminConsent = 0;
      },
    };
    this.counters = counters;
  }

  static async start(options: EntraSandboxOptions = {}): Promise<EntraSandbox> {
    // MSAL refuses an authority that is not https, so the sandbox serves TLS with a certificate made per run.
    const now = Date.now();
    const tls = await createSelfSignedCertificate({
      subject: 'CN=entra-sandbox',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 7 * 24 * 3600_000),
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const server = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem });
    // Loopback only: there is no authentication on the control methods' data.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const sandbox = new EntraSandbox(server, tls.certificatePem, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      sandbox.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          sendEntraError(
            res,
            new EntraOAuthError(500, 'server_error', 90033, err instanceof Error ? err.message : String(err)),
            sandbox.now(),
          );
        }
      });
    });
    return sandbox;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The sandbox's clock: the `now` option plus every advance(). */
  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  /** Moves the validity clock forward (certificates, secrets, access tokens), not the assertion clock. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  // ── control: what an administrator does in the portal ──────────────────────────────────────────────────────

  addDirectory(id: string = randomUUID()): string {
    // Directory ids are GUIDs; z.guid accepts any GUID, as Entra does (no RFC version check).
    z.guid().parse(id);
    this.directories.add(id);
    return id;
  }

  registerApplication(request: RegisterApplicationRequest): { objectId: string; appId: string } {
    if (!this.directories.has(request.homeDirectoryId)) throw new Error(`unknown directory ${request.homeDirectoryId}`);
    const app: EntraApplication = {
      objectId: randomUUID(),
      appId: randomUUID(),
      displayName: z.string().min(1).max(120).parse(request.displayName),
      homeDirectoryId: request.homeDirectoryId,
      multiTenant: request.multiTenant ?? false,
      redirectUris: RedirectUrisSchema.parse(request.redirectUris ?? []),
      keyCredentials: [],
      passwordCredentials: [],
    };
    this.applications.set(app.objectId, app);
    return { objectId: app.objectId, appId: app.appId };
  }

  /** An admin uploads a certificate in the portal: no proof needed. Throws DuplicateKeyCredentialError. */
  uploadCertificate(objectId: string, derOrPem: Buffer | string): KeyCredentialView {
    return this.addKeyCredential(objectId, derOrPem);
  }

  /** A new client secret; its text is returned once, as the portal shows it once. */
  addPassword(objectId: string, options: { endDateTime: string | Date; displayName?: string }): string {
    const app = this.requireApplication(objectId);
    const end = new Date(options.endDateTime);
    if (Number.isNaN(end.getTime())) throw new Error('endDateTime is not a date');
    const { stored, secretText } = newPassword(this.now(), end.toISOString(), options.displayName ?? null);
    app.passwordCredentials.push(stored);
    return secretText;
  }

  /** An admin of `directoryId` grants the app (what the adminconsent page records). */
  consent(directoryId: string, appId: string): void {
    if (!this.directories.has(directoryId)) throw new Error(`unknown directory ${directoryId}`);
    if (!this.applicationByAppId(appId)) throw new Error(`unknown application ${appId}`);
    let set = this.consents.get(directoryId);
    if (!set) this.consents.set(directoryId, (set = new Set()));
    set.add(appId);
  }

  /** The admin removes the app's enterprise application; its tokens already issued there stop working too. */
  revokeConsent(directoryId: string, appId: string): void {
    this.consents.get(directoryId)?.delete(appId);
    for (const [token, grant] of this.issued) if (grant.directoryId === directoryId && grant.appId === appId) this.issued.delete(token);
  }

  isConsented(directoryId: string, appId: string): boolean {
    const app = this.applicationByAppId(appId);
    if (!app) return false;
    return app.homeDirectoryId === directoryId || (this.consents.get(directoryId)?.has(appId) ?? false);
  }

  /** The next admin-consent visit redirects with error=access_denied instead of recording consent. */
  denyNextConsent(): void {
    this.denials += 1;
  }

  keyCredentials(objectId: string): KeyCredentialView[] {
    return this.requireApplication(objectId).keyCredentials.map(keyCredentialView);
  }

  /** A copy of the app registration, by object id or by appId. */
  application(ref: { objectId: string } | { appId: string }): ApplicationView | undefined {
    const app = 'objectId' in ref ? this.applications.get(ref.objectId) : this.applicationByAppId(ref.appId);
    return app ? applicationView(app) : undefined;
  }

  /** What a bearer token was issued for, while it has not expired; undefined for anything else. */
  verifyAccessToken(token: string): AccessTokenGrant | undefined {
    const grant = this.issued.get(token);
    if (!grant) return undefined;
    if (grant.expiresAt <= this.now()) return undefined;
    return { ...grant };
  }

  // ── used by the Graph sandbox's addKey / removeKey ─────────────────────────────────────────────────────────

  /** Every certificate on the app with whether it is usable now (an expired one may sign nothing). */
  proofKeys(objectId: string): ProofKey[] {
    const now = this.now();
    return this.requireApplication(objectId).keyCredentials.map((c) => ({
      keyId: c.keyId,
      publicKey: c.publicKey,
      x5t: c.x5t,
      validNow: certificateIsValid(c, now),
    }));
  }

  /** Registers a certificate (Graph addKey after its proof passed). Throws DuplicateKeyCredentialError. */
  addKeyCredential(objectId: string, derOrPem: Buffer | string, displayName?: string): KeyCredentialView {
    const app = this.requireApplication(objectId);
    const stored = storedCertificate(readCertificate(derOrPem), displayName);
    if (app.keyCredentials.some((c) => c.x5t === stored.x5t)) {
      throw new DuplicateKeyCredentialError(`certificate ${stored.customKeyIdentifier} is already registered on the application`);
    }
    app.keyCredentials.push(stored);
    return keyCredentialView(stored);
  }

  /** False when the app has no key with that id. */
  removeKeyCredential(objectId: string, keyId: string): boolean {
    const app = this.requireApplication(objectId);
    const before = app.keyCredentials.length;
    app.keyCredentials = app.keyCredentials.filter((c) => c.keyId !== keyId);
    return app.keyCredentials.length < before;
  }

  private requireApplication(objectId: string): EntraApplication {
    const app = this.applications.get(objectId);
    if (!app) throw new Error(`unknown application object ${objectId}`);
    return app;
  }

  private applicationByAppId(appId: string): EntraApplication | undefined {
    for (const app of this.applications.values()) if (app.appId === appId) return app;
    return undefined;
  }

  // ── HTTP ───────────────────────────────────────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.authorityHost);
    const method = req.method ?? 'GET';
    const match =
      /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|(?:v2\.0\/)?adminconsent)$/.exec(
        url.pathname,
      );
    const directoryId = match ? decodeURIComponent(match[1]!) : '';
    const route = match?.[2];
    if (route === 'v2.0/.well-known/openid-configuration' && method === 'GET') return this.openIdConfiguration(directoryId, res);
    if (route === 'discovery/v2.0/keys' && method === 'GET') {
      // Access tokens are opaque here (the Graph sandbox asks verifyAccessToken), so there is no signing key.
      return this.sendJson(res, 200, { keys: [] });
    }
    if (route === 'oauth2/v2.0/token' && method === 'POST') return this.token(directoryId, req, res);
    if ((route === 'adminconsent' || route === 'v2.0/adminconsent') && method === 'GET') {
      this.counters.adminConsent += 1;
      return handleAdminConsent(
        {
          directoryExists: (id) => this.directories.has(id),
          applicationByAppId: (id) => this.applicationByAppId(id),
          consent: (dir, appId) => this.consent(dir, appId),
          takeDenial: () => (this.denials > 0 ? ((this.denials -= 1), true) : false),
        },
        directoryId,
        url,
        res,
      );
    }
    // ⚠ Entra's answer to an unknown path is an HTML page; JSON keeps a test's failure readable.
    return this.sendJson(res, 404, {
      error: 'not_found',
      error_description: `${method} ${url.pathname} is not served by the Entra sandbox`,
    });
  }

  private openIdConfiguration(directoryId: string, res: ServerResponse): void {
    this.counters.openIdConfiguration += 1;
    if (!this.directories.has(directoryId)) return sendEntraError(res, entraErrors.unknownDirectory(directoryId), this.now());
    const base = `${this.authorityHost}/${directoryId}`;
    // The fields MSAL requires (authorization_endpoint, token_endpoint, issuer, jwks_uri) plus the usual companions.
    this.sendJson(res, 200, {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: null,
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    });
  }

  private async token(directoryId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.tokenRequests += 1;
    const refuse = (err: EntraOAuthError, headers: Record<string, string> = {}) => {
      this.counters.tokenErrors[String(err.aadsts)] = (this.counters.tokenErrors[String(err.aadsts)] ?? 0) + 1;
      sendEntraError(res, err, this.now(), headers);
    };
    const fault = this.pendingTokenFaults.shift();
    if (fault !== undefined) return refuse(entraErrors.transient(fault), { 'retry-after': '1' });
    if (!this.directories.has(directoryId)) return refuse(entraErrors.unknownDirectory(directoryId));
    const body = await readFormBody(req);
    if (!body) return refuse(new EntraOAuthError(413, 'invalid_request', 90014, 'The request body is too large.'));
    const form = TokenFormSchema.safeParse(body);
    if (!form.success) {
      const field = form.error.issues[0]?.path.join('.') ?? 'body';
      return refuse(new EntraOAuthError(400, 'invalid_request', 90014, `The request parameter '${field}' is not valid.`));
    }
    const tokenEndpoint = `${this.authorityHost}/${directoryId}/oauth2/v2.0/token`;
    let granted;
    try {
      granted = grantClientCredentials(
        {
          now: () => this.now(),
          assertionNow: () => this.assertionClock(),
          applicationByAppId: (appId) => this.applicationByAppId(appId),
          isConsented: (dir, appId) => this.isConsented(dir, appId),
        },
        directoryId,
        tokenEndpoint,
        form.data,
      );
    } catch (err) {
      if (err instanceof EntraOAuthError) return refuse(err);
      throw err;
    }
    const accessToken = randomBytes(32).toString('base64url');
    this.remember(accessToken, {
      appId: granted.appId,
      directoryId,
      resource: granted.resource,
      expiresAt: this.now() + this.tokenLifetimeMs,
    });
    this.counters.tokensIssued += 1;
    this.counters.credentials[granted.credential] = (this.counters.credentials[granted.credential] ?? 0) + 1;
    const seconds = Math.floor(this.tokenLifetimeMs / 1000);
    this.sendJson(res, 200, { token_type: 'Bearer', expires_in: seconds, ext_expires_in: seconds, access_token: accessToken });
  }

  /** Keeps the issued-token map bounded: expired grants go first, then the oldest. */
  private remember(token: string, grant: AccessTokenGrant): void {
    if (this.issued.size >= MAX_ISSUED_TOKENS) {
      const now = this.now();
      for (const [t, g] of this.issued) if (g.expiresAt <= now) this.issued.delete(t);
      const oldest = this.issued.keys().next();
      if (this.issued.size >= MAX_ISSUED_TOKENS && !oldest.done) this.issued.delete(oldest.value);
    }
    this.issued.set(token, grant);
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }
}
