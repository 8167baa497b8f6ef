import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { createSelfSignedCertificate } from '../../shared/platform/certificates/selfSignedCertificate';
import { VaultCertificates } from './VaultCertificates';
import { checkObjectName, isVersion, VaultError } from './VaultError';
import { VaultFaults } from './VaultFaults';
import { pageOf } from './vaultPaging';
import { routeKeyRequest } from './routeKeyRequest';
import { VaultKeys } from './VaultKeys';
import { VaultSecrets } from './VaultSecrets';

/** What the SDK versions in node_modules send: certificates 4.10 → 7.6, secrets 4.11 and keys 4.10 → 2025-07-01 (older ones pass too). */
const API_VERSIONS = new Set(['7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01']);
const BODY_MAX_BYTES = 1024 * 1024;
/** Key Vault's resource: what the SDK asks a token for (`<resource>/.default`). */
const VAULT_RESOURCE = 'https://vault.azure.net';

export interface KeyVaultSandboxOptions {
  /** The sandbox clock's source, in epoch ms (default Date.now); `advance` moves the clock ahead of it. */
  now?: () => number;
  /** Items per list page when the client does not ask for fewer (Key Vault: 25); small values exercise nextLink. */
  pageSize?: number;
  /** GETs of a create's pending operation that answer `inProgress` before it completes (default 0: at once). */
  pendingPolls?: number;
  /** The Entra tenant named in the auth challenge (default a random GUID). */
  tenantId?: string;
}

export interface SandboxRequest {
  method: string;
  /** Path without the query. */
  path: string;
  status: number;
}

/** Options every SDK client needs to talk to the sandbox (see KeyVaultSandbox). */
export interface SandboxClientOptions {
  tlsOptions: { ca: string };
  disableChallengeResourceVerification: true;
}

/**
 * A local HTTPS stand-in for the Key Vault REST endpoints that @azure/keyvault-certificates,
 * @azure/keyvault-secrets and @azure/keyvault-keys (KeyClient; CryptographyClient's key read, wrapkey and unwrapkey)
 * call, so tests run the real SDK clients (their auth challenge, polling, paging, retries). Everything is in memory;
 * one instance is one vault.
 *
 * Trust and auth: clients trust `caPem` through `tlsOptions: { ca }` (never NODE_TLS_REJECT_UNAUTHORIZED). A request
 * without `Authorization: Bearer <token>` gets Key Vault's 401 challenge naming the tenant and the resource
 * https://vault.azure.net. The SDK checks that the vault's host ends with `.<resource host>`; 127.0.0.1 cannot (an
 * IP address is not a subdomain of anything, and any numeric resource host is read as another IP), so clients of
 * the sandbox pass `disableChallengeResourceVerification: true` — `clientOptions` holds both settings.
 *
 * Faults (`faults.failNext`) answer authenticated requests only, so the SDK's challenge handshake stays intact.
 */
export class KeyVaultSandbox {
  /** The bearer token the sandbox accepts; `credential` hands it out. */
  readonly token = randomBytes(24).toString('base64url');
  readonly tenantId: string;
  readonly faults = new VaultFaults();
  /** Every request received, answered ones and refused ones (401 challenges included), in order. */
  readonly requests: SandboxRequest[] = [];
  /** What the SDK asked the credential for: the scopes and tenant it read from the challenge. */
  readonly tokenRequests: { scopes: string[]; tenantId?: string | undefined }[] = [];
  readonly vaultUrl: string;
  readonly caPem: string;

  private offsetMs = 0;
  private readonly certificates: VaultCertificates;
  private readonly secrets: VaultSecrets;
  private readonly keys: VaultKeys;

  private constructor(
    private readonly server: Server,
    port: number,
    caPem: string,
    private readonly options: KeyVaultSandboxOptions,
  ) {
    this.vaultUrl = `https://127.0.0.1:${port}`;
    this.caPem = caPem;
    this.tenantId = options.tenantId ?? randomUUID();
    const seconds = () => Math.floor(this.now().getTime() / 1000);
    this.secrets = new VaultSecrets(() => this.vaultUrl, seconds);
    this.keys = new VaultKeys(() => this.vaultUrl, seconds);
    this.certificates = new VaultCertificates(() => this.vaultUrl, seconds, this.secrets, {
      pendingPolls: options.pendingPolls ?? 0,
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void this.answer(request, response));
  }

  static async start(options: KeyVaultSandboxOptions = {}): Promise<KeyVaultSandbox> {
    const now = Date.now();
    const tls = await createSelfSignedCertificate({
      subject: 'CN=Key Vault sandbox',
      notBefore: new Date(now - 60 * 60_000),
      notAfter: new Date(now + 7 * 24 * 60 * 60_000),
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const server = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new KeyVaultSandbox(server, (server.address() as AddressInfo).port, tls.certificatePem, options);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Requests received so far (401 challenges included). */
  get requestCount(): number {
    return this.requests.length;
  }

  /** The credential a client of this vault uses: hands out the sandbox token and records what it was asked for. */
  get credential(): TokenCredential {
    return {
      getToken: async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> => {
        this.tokenRequests.push({ scopes: [scopes].flat(), tenantId: options?.tenantId });
        return { token: this.token, expiresOnTimestamp: Date.now() + 60 * 60_000 };
      },
    };
  }

  /** TLS trust and challenge settings for CertificateClient / SecretClient (see the class comment). */
  get clientOptions(): SandboxClientOptions {
    return { tlsOptions: { ca: this.caPem }, disableChallengeResourceVerification: true };
  }

  /** The sandbox clock. */
  now(): Date {
    return new Date((this.options.now ?? Date.now)() + this.offsetMs);
  }

  /** Moves the sandbox clock ahead (auto-renew is checked on the next request that touches a certificate). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** A new version of the certificate now, with its policy; returns the version id. */
  renewNow(name: string): Promise<string> {
    return this.certificates.renewNow(name);
  }

  /** A new version of the key now, as Key Vault's rotation policy makes it; returns the new key id (versioned). */
  async rotateKeyNow(name: string): Promise<string> {
    const bundle = (await this.keys.rotate(name)) as { key: { kid: string } };
    return bundle.key.kid;
  }

  /** Disables one version of a key (gets, wrap and unwrap with it then answer 403). */
  disableKeyVersion(name: string, version: string): void {
    this.keys.disableVersion(name, version);
  }

  /** Disables one version of a certificate and its backing secret (reading that secret then answers 403). */
  disableVersion(name: string, version: string): void {
    this.certificates.disableVersion(name, version);
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.vaultUrl);
    const method = request.method ?? 'GET';
    const record: SandboxRequest = { method, path: url.pathname, status: 0 };
    this.requests.push(record);
    let status: number;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      const raw = await readBody(request);
      if (request.headers.authorization !== `Bearer ${this.token}`) {
        throw new VaultError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', undefined, {
          'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${this.tenantId}", resource="${VAULT_RESOURCE}"`,
        });
      }
      const fault = this.faults.take();
      if (fault) throw fault;
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion)
        throw new VaultError(400, 'BadParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      if (!API_VERSIONS.has(apiVersion))
        throw new VaultError(400, 'BadParameter', `The specified version (${apiVersion}) is not recognized.`);
      let json: unknown;
      if (raw.length > 0) {
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new VaultError(400, 'BadParameter', 'The request body is not valid JSON.');
        }
      }
      [status, body] = await this.route(method, url, json);
    } catch (err) {
      const failure = err instanceof VaultError ? err : new VaultError(500, 'InternalServerError', `The sandbox failed: ${String(err)}`);
      status = failure.status;
      body = failure.body;
      headers = failure.headers;
    }
    record.status = status;
    const text = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': String(Buffer.byteLength(text)),
      'x-ms-request-id': randomUUID(),
    });
    response.end(text);
  }

  private async route(method: string, url: URL, json: unknown): Promise<[number, unknown]> {
    // Split before decoding, so an encoded slash inside a name stays part of the name (and fails its check).
    const raw = url.pathname.split('/').slice(1);
    const segments = raw.map((segment) => decodeURIComponent(segment));
    const [collection, name, third, fourth] = segments;
    if (collection === 'keys' || collection === 'deletedkeys') {
      const context = {
        keys: this.keys,
        list: (items: object[]) => pageOf(items, url, this.vaultUrl, this.options.pageSize),
        notImplemented: () => notImplemented(method, url),
      };
      return routeKeyRequest(context, method, collection, segments.slice(1), json);
    }
    const extra = segments.length > 4 || (fourth !== undefined && fourth !== '');
    if (extra || name === undefined) throw notImplemented(method, url);
    const action = third;
    switch (collection ?? '') {
      case 'certificates': {
        checkObjectName(name, 'certificate');
        // A delete needs no renewal first: the new version would go with the rest.
        if (method !== 'DELETE') await this.certificates.renewIfDue(name);
        const list = () => pageOf(this.certificates.listVersions(name), url, this.vaultUrl, this.options.pageSize);
        if (method === 'POST' && action === 'create') return [202, await this.certificates.create(name, json)];
        if (method === 'GET' && action === 'pending') return [200, this.certificates.getOperation(name)];
        if (method === 'GET' && action === 'policy') return [200, this.certificates.getPolicy(name)];
        if (method === 'PATCH' && action === 'policy') return [200, this.certificates.updatePolicy(name, json)];
        if (method === 'GET' && action === 'versions') return [200, list()];
        if (method === 'GET' && (action === undefined || action === '')) return [200, this.certificates.get(name, undefined)];
        if (method === 'GET' && action !== undefined && isVersion(action)) return [200, this.certificates.get(name, action)];
        if (method === 'GET' && action !== undefined)
          throw new VaultError(
            404,
            'CertificateNotFound',
            `A certificate with (name/id) ${name}/${action} was not found in this key vault.`,
          );
        if (method === 'DELETE' && action === undefined) return [200, this.certificates.delete(name)];
        throw notImplemented(method, url);
      }
      case 'deletedcertificates': {
        checkObjectName(name, 'certificate');
        if (method === 'GET' && action === undefined) return [200, this.certificates.getDeleted(name)];
        if (method === 'DELETE' && action === undefined) {
          this.certificates.purge(name);
          return [204, undefined];
        }
        if (method === 'POST' && action === 'recover') return [200, this.certificates.recover(name)];
        throw notImplemented(method, url);
      }
      case 'secrets': {
        checkObjectName(name, 'secret');
        // The backing secret is one way to touch a certificate: a due renewal happens before it is read.
        if (method === 'GET') await this.certificates.renewIfDue(name);
        const list = () => pageOf(this.secrets.listVersions(name), url, this.vaultUrl, this.options.pageSize);
        if (method === 'PUT' && action === undefined) return [200, this.secrets.set(name, json)];
        if (method === 'DELETE' && action === undefined) return [200, this.secrets.delete(name)];
        if (method === 'GET' && action === 'versions') return [200, list()];
        if (method === 'GET' && (action === undefined || action === '')) return [200, this.secrets.get(name, undefined)];
        if (method === 'GET' && action !== undefined && isVersion(action)) return [200, this.secrets.get(name, action)];
        if (method === 'GET' && action !== undefined)
          throw new VaultError(404, 'SecretNotFound', `A secret with (name/id) ${name}/${action} was not found in this key vault.`);
        throw notImplemented(method, url);
      }
      case 'deletedsecrets': {
        checkObjectName(name, 'secret');
        if (method === 'GET' && action === undefined) return [200, this.secrets.getDeleted(name)];
        if (method === 'DELETE' && action === undefined) {
          this.secrets.purge(name);
          return [204, undefined];
        }
        if (method === 'POST' && action === 'recover') return [200, this.secrets.recover(name)];
        throw notImplemented(method, url);
      }
      default:
        throw notImplemented(method, url);
    }
  }
}

/** 501: the SDK's retry policy leaves it alone, and the message says the sandbox, not Key Vault, lacks the call. */
function notImplemented(method: string, url: URL): VaultError {
  return new VaultError(501, 'NotImplemented', `The Key Vault sandbox does not implement ${method} ${url.pathname}.`);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_MAX_BYTES) throw new VaultError(413, 'RequestTooLarge', 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
