import { type PbxConfig } from '../config/TenantConfig';
import { isHttpsOrLoopbackUrl, urlOrigin } from '../config/isLoopbackUrl';
import { AppError } from '../core/errors/AppError';
import { type PbxCredential } from './PbxCredential';
import { type PbxConnection } from './ports/PbxConnection';
import { type PortalPasswords } from './ports/PortalPasswords';
import { PortSipClient } from './portsip/PortSipClient';
import { portSipProfile } from './portsip/portSipProfile';
import { createThreeCxConnection } from './threecx/createThreeCxConnection';
import { connectionPacing } from './connectionPacing';

export interface PbxConnectionOptions {
  /**
   * This connection's share of the PBX's request budget, when the caller splits it (e.g. per lane); default:
   * the configured `rateLimitPerMinute`.
   */
  rateLimitPerMinute?: number | undefined;
  /**
   * Where the adapter keeps the portal passwords of the users it creates (and reads them to sign in as a
   * user); without it users are created with a password nobody keeps and the per-user ports are absent.
   */
  portalPasswords?: PortalPasswords | undefined;
  /** For tests: a fetch that records or fakes. */
  fetch?: typeof fetch | undefined;
}

/**
 * Refuses to hand a credential to an adapter that would send it anywhere but the origin it was written for, or
 * over plain http to a host that is not this machine. The configuration schema already refuses such URLs and
 * the credential is checked where it is read; this is the last gate before a connection exists.
 */
function assertCredentialMaySendTo(baseUrl: string, credential: PbxCredential): void {
  let origin: string;
  try {
    origin = urlOrigin(baseUrl);
  } catch {
    throw new AppError('CONFIG', 'pbx.baseUrl is not a URL');
  }
  if (!isHttpsOrLoopbackUrl(baseUrl)) {
    throw new AppError(
      'NOT_READY',
      `pbx.baseUrl ${origin} is not https; the PBX credential is only sent over https (or to a loopback host)`,
    );
  }
  if (credential.origin !== origin) {
    throw new AppError(
      'NOT_READY',
      `the PBX URL changed (the PBX credential was written for ${credential.origin}, pbx.baseUrl is now ${origin}); write the PBX credential again`,
    );
  }
}

/**
 * The adapter for the tenant's PBX product. The switch is exhaustive: a new `pbx.kind` in the tenant
 * configuration does not compile until it has a case here, and a kind unknown at run time (a row written by a
 * newer build) is a CONFIG error rather than a silent default. Async because the 3CX adapter reads its profile
 * (the PBX's number length) and probes version, licence and 3CX's own Microsoft 365 sync when it connects.
 */
export async function createPbxConnection(
  config: PbxConfig,
  credential: PbxCredential,
  options: PbxConnectionOptions = {},
): Promise<PbxConnection> {
  assertCredentialMaySendTo(config.baseUrl, credential);
  switch (config.kind) {
    case 'portsip': {
      const client = new PortSipClient({
        baseUrl: config.baseUrl,
        domain: config.domain,
        username: credential.username,
        password: credential.password,
        role: config.role,
        portalPasswords: options.portalPasswords,
        ...connectionPacing(config, options),
      });
      // One admin session, rate limit and request count for every port of this connection; the per-user ports
      // (sessions as each user, same rate limit) only when the connector keeps the portal passwords they need.
      return {
        profile: portSipProfile,
        users: client,
        groups: client.groups(),
        companyContacts: client.companyContacts(),
        // Always: DND is an admin write; the status needs a session as the user (NoUserAccess without one).
        presence: client.presence(),
        eventTarget: client.eventTarget(),
        ...client.userPorts(),
      };
    }
    case '3cx': {
      // The stored credential keeps the client id it was written for: a secret of another API client is never sent.
      if (credential.username !== config.clientId) {
        throw new AppError(
          'NOT_READY',
          `the 3CX API client id changed (the client secret was written for ${credential.username}, pbx.clientId is now ` +
            `${config.clientId}); write the client secret again`,
        );
      }
      const connection = createThreeCxConnection(config, { clientSecret: credential.password, origin: credential.origin }, options);
      // The connect-time checks (version, licence, 3CX's own Microsoft 365 sync) and the PBX's extension length,
      // before anything plans with the profile.
      await connection.ready();
      return connection;
    }
    default: {
      // Every kind has a case, so `config` is never here; a row from a newer build still fails clearly.
      const unknown: never = config;
      throw new AppError('CONFIG', `no PBX adapter for pbx.kind ${JSON.stringify((unknown as { kind?: unknown }).kind)}`);
    }
  }
}
