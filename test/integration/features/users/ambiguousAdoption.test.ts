import { describe, expect, it } from 'vitest';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { Logger } from '../../../../shared/core/logging/Logger';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type RunChange } from '../../../../shared/engine/RunChange';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { usersManifest } from '../../../../shared/features/users/usersManifest';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { useSandboxes } from '../../../support/useSandboxes';
import { createSandboxTenant } from '../../../support/sandboxTenant';

// Two users per delta page: the two Entra users that share an address land in different batches of one run.
const sandboxes = useSandboxes({ pageSize: 2 });

describe('adoptByEmail when two unmanaged PBX extensions share the address (sandbox Graph + sandbox PortSIP + Azurite)', () => {
  it('adopts neither, creates nothing for the user, reports ambiguousAdoption, in every batch and every run', async () => {
    const shared = 'ann.shared@contoso.com';
    const users = [
      numberedUser(701, 'Ann', { mail: shared }),
      numberedUser(702, 'Filler'),
      numberedUser(703, 'Filler'),
      numberedUser(704, 'Anna', { mail: shared.toUpperCase() }), // a later page, the same address
    ];
    sandboxes.graph.seed(users, []);
    const { services } = await createSandboxTenant(sandboxes, 'ambiguous', {
      adoptByEmail: true,
      numbering: { mode: 'fromStart', start: '3000' },
    });
    const twins = [
      sandboxes.pbx.addUser({ name: 'ann.desk', extension_number: '7701', email: shared, display_name: 'Ann (desk phone)' }),
      sandboxes.pbx.addUser({ name: 'ann.old', extension_number: '7702', email: 'Ann.Shared@contoso.com', display_name: 'Ann (old)' }),
    ];
    const before = sandboxes.pbx.listUsers().length;

    const sync = async (): Promise<{ run: SyncRun; items: RunChange[] }> => {
      const runId = newRunId();
      const job = featureSyncJob(usersManifest, { tenantId: 'ambiguous', runId, mode: 'full', trigger: 'manual' });
      await processSyncJob(services, job, Logger.silent());
      const run = (await services.runs.get('ambiguous', runId))!;
      const items: RunChange[] = [];
      let after: string | undefined;
      do {
        const page = await services.runChanges.list('ambiguous', runId, { limit: 50, after });
        items.push(...page.items);
        after = page.next;
      } while (after);
      return { run, items };
    };

    for (const round of [1, 2]) {
      const { run, items } = await sync();
      expect(run.pages, `round ${round}`).toBeGreaterThanOrEqual(2);
      expect(run.status).toBe('succeeded');
      expect(run.counts).toMatchObject({ created: round === 1 ? 2 : 0, skipped: 2 });
      expect(run.counts.adopted ?? 0).toBe(0);
      expect(run.skippedByReason).toEqual({ ambiguousAdoption: 2 });
      const skips = run.issues.filter((i) => i.code === 'ambiguousAdoption');
      expect(skips.map((i) => i.objectId).sort()).toEqual([numberedGuid(701), numberedGuid(704)]);
      for (const issue of skips) {
        expect(issue.message).toContain('2 unlinked PBX extensions (7701, 7702)');
        expect(issue.message).not.toMatch(/password/i);
      }
      const skipped = items.filter((i) => i.outcome === 'skipped');
      expect(skipped.map((i) => [i.sourceId, 'reason' in i ? i.reason : undefined]).sort()).toEqual([
        [numberedGuid(701), 'ambiguousAdoption'],
        [numberedGuid(704), 'ambiguousAdoption'],
      ]);

      // The twins are untouched and unbound; only the two fillers were created; no link for the sharers.
      for (const twin of twins)
        expect(sandboxes.pbx.getUser(twin.id)).toMatchObject({ display_name: twin.display_name, ms365_binding: null });
      expect(sandboxes.pbx.listUsers()).toHaveLength(before + 2);
      expect(sandboxes.pbx.listUsers().filter((u) => u.email.toLowerCase() === shared)).toHaveLength(2);
      expect(await services.links.get('ambiguous', numberedGuid(701))).toBeFalsy();
      expect(await services.links.get('ambiguous', numberedGuid(704))).toBeFalsy();
    }
  });
});
