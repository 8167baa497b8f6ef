import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureSyncJob } from '../../../shared/app/jobs/featureSyncJob';
import { processSyncJob } from '../../../shared/app/processSyncJob';
import { isAppError } from '../../../shared/core/errors/AppError';
import { Logger } from '../../../shared/core/logging/Logger';
import { newRunId } from '../../../shared/engine/newRunId';
import { usersManifest } from '../../../shared/features/users/usersManifest';
import { GraphSandbox, generateUsers } from '../../../sandbox/graph';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { createSandboxTenant } from '../../support/sandboxTenant';

let graph: GraphSandbox;
let pbx: PortSipSandbox;

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: 20 });
  // A slow PBX, so the first run is still creating extensions when the second one starts.
  pbx = await PortSipSandbox.start({ rateLimitPerMinute: 600_000, latencyMs: 15 });
});
afterAll(async () => {
  await graph?.stop();
  await pbx?.stop();
});

describe('one writer per tenant and lane, whatever the entry point', () => {
  it('a second sync started while the first creates extensions writes nothing, and no extension is doubled', async () => {
    const users = generateUsers(60, { seed: 5 });
    graph.seed(users, []);
    const { services } = await createSandboxTenant({ graph, pbx }, 'race');
    const job = () => featureSyncJob(usersManifest, { tenantId: 'race', runId: newRunId(), mode: 'full', trigger: 'cli' });

    const first = processSyncJob(services, job(), Logger.silent());
    // Let the first run take its lease and start writing.
    while (pbx.listUsers().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const writesBefore = pbx.stats.writes;
    const second = await processSyncJob(services, job(), Logger.silent()).catch((err: unknown) => err);
    expect(isAppError(second, 'TRANSIENT') && second.upstreamCode).toBe('writerBusy');
    const done = await first;
    expect(done?.status).toBe('succeeded');
    expect(pbx.stats.writes - writesBefore).toBeGreaterThan(0);

    const byBinding = new Map<string, number>();
    for (const u of pbx.listUsers()) if (u.ms365_binding) byBinding.set(u.ms365_binding, (byBinding.get(u.ms365_binding) ?? 0) + 1);
    expect([...byBinding.values()].every((n) => n === 1)).toBe(true);
    expect(byBinding.size).toBe(done!.counts.created);

    // The lease was given back: the next run goes ahead and finds nothing to do.
    const again = await processSyncJob(services, job(), Logger.silent());
    expect(again).toMatchObject({ status: 'succeeded', counts: { created: 0, failed: 0 } });
  });
});
