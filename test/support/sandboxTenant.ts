import { type TenantRecord } from '../../shared/app/TenantStore';
import { UserSyncOptionsSchema } from '../../shared/features/users/usersOptions';
import { SANDBOX_PBX_SECRET, sandboxTenantConfig } from '../../shared/platform/local/sandboxTenantConfig';
import { type GraphSandbox } from '../../sandbox/graph';
import { type PortSipSandbox } from '../../sandbox/portsip';
import { createTestServices } from './testServices';
import { type FeatureRegistry } from '../../shared/features/FeatureRegistry';

/**
 * Fresh services (own tables) with a tenant wired to the sandbox Graph and PBX: the PBX admin credential in
 * the secret store, `users` options as given (defaults otherwise).
 */
export async function createSandboxTenant(
  sandboxes: { graph: GraphSandbox; pbx: PortSipSandbox },
  tenantId: string,
  users: Record<string, unknown> = {},
  options: { features?: FeatureRegistry } = {},
): Promise<{ services: Awaited<ReturnType<typeof createTestServices>>; tenant: TenantRecord }> {
  const { graph, pbx } = sandboxes;
  const services = await createTestServices(
    { [SANDBOX_PBX_SECRET]: JSON.stringify({ username: pbx.credentials.username, password: pbx.credentials.password }) },
    options,
  );
  const config = sandboxTenantConfig(
    { graphBaseUrl: graph.baseUrl, graphToken: graph.token, pbxBaseUrl: pbx.baseUrl, pbxDomain: pbx.credentials.domain },
    UserSyncOptionsSchema.parse(users),
  );
  const tenant = await services.tenants.create(tenantId, config);
  return { services, tenant };
}
