import { type TenantConfig, type TenantConfigInput, TenantConfigSchema } from '../../config/TenantConfig';

export const SANDBOX_PBX_SECRET = 'sandbox-pbx-admin';

/** A tenant wired to the sandbox Graph tenant and sandbox PBX (fixed ids; the sandbox token only works there). */
export function sandboxTenantConfig(
  endpoints: { graphBaseUrl: string; graphToken: string; pbxBaseUrl: string; pbxDomain: string },
  users: TenantConfigInput['users'] = {},
): TenantConfig {
  return TenantConfigSchema.parse({
    displayName: 'Contoso Demo (sandbox)',
    microsoft365: {
      directoryId: '00000000-0000-4000-8000-00000000c0de',
      applicationId: '00000000-0000-4000-8000-0000000000a1',
      auth: { kind: 'sandbox', token: endpoints.graphToken, graphBaseUrl: endpoints.graphBaseUrl },
    },
    pbx: { kind: 'portsip', baseUrl: endpoints.pbxBaseUrl, domain: endpoints.pbxDomain, credentialSecretName: SANDBOX_PBX_SECRET },
    users,
  });
}
