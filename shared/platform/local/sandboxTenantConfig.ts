import { type TenantConfig, type TenantConfigInput, TenantConfigSchema } from '../../config/TenantConfig';
import { type SecretStore } from '../secrets/SecretStore';
import { writeGraphSecret, writePbxCredential } from '../secrets/tenantSecrets';

/** Where the sandboxes listen, and what signs in to them. */
export interface SandboxEndpoints {
  graphBaseUrl: string;
  /** The sandbox Graph's bearer token: kept as the tenant's Graph secret, never in its configuration. */
  graphToken: string;
  pbxBaseUrl: string;
  pbxDomain: string;
  /** Set when the sandbox PBX is the 3CX simulator (SANDBOX_PBX=3cx): its API client id. Else PortSIP. */
  threeCxClientId?: string | undefined;
}

/** A tenant wired to the sandbox Graph tenant and sandbox PBX (fixed ids; the sandbox token only works there). */
export function sandboxTenantConfig(endpoints: SandboxEndpoints, users: TenantConfigInput['users'] = {}): TenantConfig {
  return TenantConfigSchema.parse({
    displayName: 'Contoso Demo (sandbox)',
    microsoft365: {
      directoryId: '00000000-0000-4000-8000-00000000c0de',
      applicationId: '00000000-0000-4000-8000-0000000000a1',
      auth: { kind: 'sandbox', graphBaseUrl: endpoints.graphBaseUrl },
    },
    pbx: endpoints.threeCxClientId
      ? { kind: '3cx', baseUrl: endpoints.pbxBaseUrl, clientId: endpoints.threeCxClientId }
      : { kind: 'portsip', baseUrl: endpoints.pbxBaseUrl, domain: endpoints.pbxDomain },
    users,
  });
}

/**
 * Writes a sandbox tenant's secrets under the names the connector derives from its id, as an operator would
 * with PUT /api/tenants/{id}/secrets/pbx and …/graph: the sandbox Graph token, and the sandbox PBX admin bound
 * to the sandbox PBX's origin.
 */
export async function writeSandboxTenantSecrets(
  secrets: SecretStore,
  tenantId: string,
  endpoints: SandboxEndpoints,
  pbxAdmin: { username: string; password: string },
): Promise<void> {
  await writeGraphSecret(secrets, tenantId, 'sandbox', endpoints.graphToken);
  await writePbxCredential(secrets, tenantId, endpoints.pbxBaseUrl, pbxAdmin);
}
