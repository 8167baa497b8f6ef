import { expect } from 'vitest';
import { processJob } from '../../shared/app/processJob';
import { requestSync } from '../../shared/app/requestSync';
import { type TenantConfig } from '../../shared/config/TenantConfig';
import { Logger } from '../../shared/core/logging/Logger';
import { type GraphSandbox } from '../../sandbox/graph';
import { type PortSipSandbox } from '../../sandbox/portsip';
import { createSandboxTenant } from './sandboxTenant';

/**
 * A sandbox tenant whose users are synced (the worker's dispatch on the started in-process queue, the users run
 * checked), then `configure` applied to its configuration (a feature turned on) — where a feature's tests begin.
 */
export async function syncedSandboxTenant(
  sandboxes: { graph: GraphSandbox; pbx: PortSipSandbox },
  tenantId: string,
  users: Record<string, unknown>,
  configure: (config: TenantConfig) => TenantConfig,
): Promise<Awaited<ReturnType<typeof createSandboxTenant>>['services']> {
  const { services } = await createSandboxTenant(sandboxes, tenantId, users);
  services.queue.start(async (job) => {
    await processJob(services, job, Logger.silent());
  });
  const { runId } = await requestSync(services, { tenantId, feature: 'users', mode: 'full', trigger: 'manual' });
  await services.queue.idle();
  expect((await services.runs.get(tenantId, runId))?.status).toBe('succeeded');
  const tenant = (await services.tenants.get(tenantId))!;
  await services.tenants.replace(tenantId, configure(tenant.config), tenant.etag);
  return services;
}
