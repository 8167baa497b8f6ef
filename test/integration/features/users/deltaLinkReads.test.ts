import { describe, expect, it, vi } from 'vitest';
import { Logger } from '../../../../shared/core/logging/Logger';
import { processJob } from '../../../../shared/app/processJob';
import { requestSync } from '../../../../shared/app/requestSync';
import { type SandboxUser } from '../../../../sandbox/graph/SandboxUser';
import { numberedUser } from '../../../support/numberedUser';
import { useSandboxes } from '../../../support/useSandboxes';
import { createSandboxTenant } from '../../../support/sandboxTenant';

const sandboxes = useSandboxes();

const person = (n: number): SandboxUser => numberedUser(n, 'Quiet');

describe("a notification's small delta round reads only the links it needs", () => {
  it('updates and deletes through point reads, without listing every link of the tenant', async () => {
    const users = Array.from({ length: 30 }, (_, i) => person(i + 1));
    sandboxes.graph.seed(users, []);
    const { services } = await createSandboxTenant(sandboxes, 'quiet', { onSoftDeleted: 'delete' });
    const run = async (mode: 'full' | 'delta') => {
      const { job, runId } = await requestSync(services, { tenantId: 'quiet', feature: 'users', mode, trigger: 'manual' });
      await processJob(services, job, Logger.silent());
      return (await services.runs.get('quiet', runId))!;
    };
    expect((await run('full')).counts.created).toBe(30);

    const list = vi.spyOn(services.links, 'listByTenant');
    const get = vi.spyOn(services.links, 'get');
    sandboxes.graph.updateUser(users[3]!.id, { department: 'Finance' });
    sandboxes.graph.softDeleteUser(users[7]!.id);
    const delta = await run('delta');
    expect(delta.counts).toMatchObject({ updated: 1, deleted: 1, failed: 0 });
    expect(list).not.toHaveBeenCalled();
    expect(get.mock.calls.map((c) => c[1]).sort()).toEqual([users[3]!.id, users[7]!.id].sort());
    expect(sandboxes.pbx.listUsers().find((u) => u.email === users[3]!.mail)).toMatchObject({ department: 'Finance' });
    expect(sandboxes.pbx.listUsers()).toHaveLength(29);
  });
});
