import { type TenantRecord } from '../../shared/app/TenantStore';
import { UserSyncOptionsSchema } from '../../shared/features/users/usersOptions';
import { GroupSyncOptionsSchema } from '../../shared/features/groups/groupsOptions';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../../shared/platform/local/sandboxTenantConfig';
import { type GraphSandbox } from '../../sandbox/graph';
import { type PortSipSandbox } from '../../sandbox/portsip';
import { createTestServices } from './testServices';
import { type FeatureRegistry } from '../../shared/features/FeatureRegistry';

/**
 * Fresh services (own tables) with a tenant wired to the sandbox Graph and PBX: the tenant's own secrets (the
 * sandbox Graph token, the PBX admin credential bound to the sandbox PBX's origin) in the secret store under
 * the names the connector derives from the tenant id, `users` options as given (defaults otherwise), and
 * groups on with `options.groups` when given.
 */
export async function createSandboxTenant(
  sandboxes: { graph: GraphSandbox; pbx: PortSipSandbox },
  tenantId: string,
  users: Record<string, unknown> = {},
  options: { features?: FeatureRegistry; publicBaseUrl?: string; groups?: Record<string, unknown> } = {},
): Promise<{ services: Awaited<ReturnType<typeof createTestServices>>; tenant: TenantRecord }> {
  const { graph, pbx } = sandboxes;
  const services = await createTestServices({}, options);
  const endpoints = { graphBaseUrl: graph.baseUrl, graphToken: graph.token, pbxBaseUrl: pbx.baseUrl, pbxDomain: pbx.credentials.domain };
  await writeSandboxTenantSecrets(services.secrets, tenantId, endpoints, pbx.credentials);
  const config = sandboxTenantConfig(endpoints, UserSyncOptionsSchema.parse(users));
  if (options.groups) config.groups = GroupSyncOptionsSchema.parse({ enabled: true, ...options.groups });
  const tenant = await services.tenants.create(tenantId, config);
  return { services, tenant };
}
