import { type PbxConfig } from '../config/TenantConfig';
import { AppError } from '../core/errors/AppError';
import { type PbxCredential } from './PbxCredential';
import { type PbxConnection } from './ports/PbxConnection';
import { PortSipClient } from './portsip/PortSipClient';
import { portSipProfile } from './portsip/portSipProfile';

export interface PbxConnectionOptions {
  /**
   * This connection's share of the PBX's request budget, when the caller splits it (e.g. per lane); default:
   * the configured `rateLimitPerMinute`.
   */
  rateLimitPerMinute?: number | undefined;
  /** For tests: a fetch that records or fakes. */
  fetch?: typeof fetch | undefined;
}

/**
 * The adapter for the tenant's PBX product. The switch is exhaustive: a new `pbx.kind` in the tenant
 * configuration does not compile until it has a case here, and a kind unknown at run time (a row written by a
 * newer build) is a CONFIG error rather than a silent default. Async although PortSIP needs no I/O here: a 3CX
 * adapter has to read its profile (the PBX's number length) and probe version and licence when it connects.
 */
export async function createPbxConnection(
  config: PbxConfig,
  credential: PbxCredential,
  options: PbxConnectionOptions = {},
): Promise<PbxConnection> {
  switch (config.kind) {
    case 'portsip':
      return {
        profile: portSipProfile,
        users: new PortSipClient({
          baseUrl: config.baseUrl,
          domain: config.domain,
          username: credential.username,
          password: credential.password,
          role: config.role,
          rateLimitPerMinute: options.rateLimitPerMinute ?? config.rateLimitPerMinute,
          maxConcurrency: config.maxConcurrency,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      };
    default: {
      // On `kind`, not `config`: a one-member union does not narrow the object itself to never.
      const unknownKind: never = config.kind;
      throw new AppError('CONFIG', `no PBX adapter for pbx.kind ${JSON.stringify(unknownKind)}`);
    }
  }
}
