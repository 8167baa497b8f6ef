import { type TenantConfig, TenantConfigSchema } from '../../shared/config/TenantConfig';

/** A valid Contoso tenant (certificate auth, an https PortSIP) that no test reaches over the network. */
export function contosoTenantConfig(directoryId: string): TenantConfig {
  return TenantConfigSchema.parse({
    displayName: 'Contoso',
    microsoft365: {
      directoryId,
      applicationId: '22222222-2222-4222-8222-222222222222',
      auth: { kind: 'certificate' },
    },
    pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.example:8887', domain: 'contoso.example' },
  });
}
