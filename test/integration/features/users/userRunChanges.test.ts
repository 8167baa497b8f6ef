import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { Logger } from '../../../../shared/core/logging/Logger';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type RunChange } from '../../../../shared/engine/RunChange';
import { usersManifest } from '../../../../shared/features/users/usersManifest';
import { GraphSandbox, demoCompany } from '../../../../sandbox/graph';
import { PortSipSandbox } from '../../../../sandbox/portsip';
import { createSandboxTenant } from '../../../support/sandboxTenant';

let graph: GraphSandbox;
let pbx: PortSipSandbox;

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: 10 });
  pbx = await PortSipSandbox.start({ rateLimitPerMinute: 600_000 });
});
afterAll(async () => {
  await graph?.stop();
  await pbx?.stop();
});

describe("a run's per-item change list (users)", () => {
  it('lists every directory user once, with what happened to it, matching the run counts', async () => {
    const demo = demoCompany().users;
    graph.seed(demo, []);
    const { services } = await createSandboxTenant({ graph, pbx }, 'changes');
    const sync = async () => {
      const runId = newRunId();
      const run = await processSyncJob(
        services,
        featureSyncJob(usersManifest, { tenantId: 'changes', runId, mode: 'full', trigger: 'cli' }),
        Logger.silent(),
      );
      const items: RunChange[] = [];
      let after: string | undefined;
      do {
        const page = await services.runChanges.list('changes', runId, { limit: 7, after });
        items.push(...page.items);
        after = page.next;
      } while (after);
      return { run: run!, items };
    };

    const first = await sync();
    expect(first.items).toHaveLength(demo.length);
    expect(new Set(first.items.map((i) => i.sourceId)).size).toBe(demo.length);
    const tally = (items: RunChange[]) =>
      items.reduce<Record<string, number>>((t, i) => ({ ...t, [i.outcome]: (t[i.outcome] ?? 0) + 1 }), {});
    expect(tally(first.items)).toEqual({ created: first.run.counts.created, skipped: 1, outOfScope: 2 });
    const created = first.items.find((i) => i.outcome === 'created')!;
    expect(created).toMatchObject({
      feature: 'users',
      extension: expect.stringMatching(/^\d+$/) as unknown,
      label: expect.stringContaining('@') as unknown,
    });
    expect(
      first.items
        .filter((i) => i.outcome === 'outOfScope')
        .map((i) => (i.outcome === 'outOfScope' ? i.reason : ''))
        .sort(),
    ).toEqual(['accountDisabled', 'guest']);

    const target = demo.find((u) => first.items.some((i) => i.sourceId === u.id && i.outcome === 'created'))!;
    graph.updateUser(target.id, { department: 'Finance', mobilePhone: '+1 206 555 0199' });
    const second = await sync();
    expect(tally(second.items)).toEqual({ unchanged: first.run.counts.created - 1, updated: 1, skipped: 1, outOfScope: 2 });
    expect(second.items.find((i) => i.outcome === 'updated')).toMatchObject({ sourceId: target.id, fields: ['mobilePhone', 'department'] });
  });
});
