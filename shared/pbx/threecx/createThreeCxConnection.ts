import { type ThreeCxConfig } from '../../config/TenantConfig';
import { urlOrigin } from '../../config/isLoopbackUrl';
import { AppError } from '../../core/errors/AppError';
import { type PbxConnection } from '../ports/PbxConnection';
import { type PbxProfile } from '../ports/PbxProfile';
import { connectionPacing } from '../connectionPacing';
import { type ThreeCxReadiness } from './checkThreeCxReadiness';
import { ThreeCxApi } from './ThreeCxApi';
import { ThreeCxCompanyContacts } from './ThreeCxCompanyContacts';
import { threeCxProfile } from './threeCxProfile';
import { ThreeCxTransport } from './ThreeCxTransport';
import { ThreeCxUsers } from './ThreeCxUsers';

/** The tenant's 3CX credential (tenant-<id>-pbx): the API client secret and the origin it was written for. */
export interface ThreeCxCredential {
  clientSecret: string;
  origin: string;
}

export interface ThreeCxConnectionOptions {
  /** This connection's share of the request budget; default the configured `rateLimitPerMinute`. */
  rateLimitPerMinute?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** A 3CX connection, plus the readiness probe for a caller that wants it run (and the profile exact) up front. */
export interface ThreeCxConnection extends PbxConnection {
  users: ThreeCxUsers;
  companyContacts: ThreeCxCompanyContacts;
  /** Runs the readiness probe now (it otherwise runs before the first call) and returns its answer. */
  ready(): Promise<ThreeCxReadiness>;
}

/**
 * The 3CX V20 adapter: users and the company phonebook over one transport (one token, one rate limit, one
 * request count). Building it does no I/O; the readiness probe runs before the first call.
 *
 * How the extension length (ENL) reaches the profile: `profile` is a getter. Until the probe has run it
 * describes a 3-digit PBX (3CX's default); afterwards, the PBX's own ENL. A caller that must plan numbers
 * with the exact length awaits `ready()` first (createPbxConnection is async for this); and whatever the
 * caller did, `users.createUser` checks the number against the probed ENL and throws INVALID naming it,
 * so a number of the wrong length never reaches 3CX.
 */
export function createThreeCxConnection(
  config: ThreeCxConfig,
  credential: ThreeCxCredential,
  options: ThreeCxConnectionOptions = {},
): ThreeCxConnection {
  let origin: string;
  try {
    origin = urlOrigin(config.baseUrl);
  } catch {
    throw new AppError('CONFIG', 'pbx.baseUrl is not a URL');
  }
  if (credential.origin !== origin) {
    throw new AppError(
      'NOT_READY',
      `the PBX URL changed (the 3CX client secret was written for ${credential.origin}, pbx.baseUrl is now ${origin}); write the PBX credential again`,
    );
  }
  const transport = new ThreeCxTransport({
    baseUrl: config.baseUrl,
    clientId: config.clientId,
    clientSecret: credential.clientSecret,
    ...connectionPacing(config, options),
  });
  const api = new ThreeCxApi(transport);
  let profile: { length: number | undefined; value: PbxProfile } = { length: undefined, value: threeCxProfile() };
  return {
    get profile(): PbxProfile {
      const length = api.readiness()?.extensionLength;
      if (length !== undefined && length !== profile.length) profile = { length, value: threeCxProfile(length) };
      return profile.value;
    },
    users: new ThreeCxUsers(api),
    companyContacts: new ThreeCxCompanyContacts(api),
    ready: () => api.ready(),
  };
}
