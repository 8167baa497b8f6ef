import { describe, expect, it } from 'vitest';
import { createTableStores } from '../../../shared/store/createTableStores';
import { newRunId } from '../../../shared/store/newRunId';
import { SyncRun, emptyCounts } from '../../../shared/store/RunStore';
import { testStorageConnectionString, uniqueTablePrefix } from '../../support/storage';

const run = (runId: string, extra: Partial<SyncRun> = {}): SyncRun => ({
  tenantId: 'acme', runId, status: 'succeeded', trigger: 'manual', mode: 'full', dryRun: false, queuedAt: new Date().toISOString(),
  counts: emptyCounts(), skippedByReason: {}, issues: [], graphRequests: 1, pbxRequests: 2, pages: 1, notes: [], ...extra,
});

describe('TableRunStore', () => {
  it('lists runs newest first, honouring the limit', async () => {
    const { runs } = await createTableStores({ connectionString: testStorageConnectionString(), tablePrefix: uniqueTablePrefix() });
    const ids = [0, 1, 2].map((i) => newRunId(new Date(Date.UTC(2026, 0, 1, 0, 0, i))));
    for (const id of ids) await runs.create(run(id));
    expect((await runs.list('acme', 2)).map((r) => r.runId)).toEqual([ids[2], ids[1]]);
    expect(await runs.get('acme', ids[0]!)).toMatchObject({ status: 'succeeded', pbxRequests: 2 });
  });

  it('stores a run with many long issues by keeping the ones that fit and saying how many were left out', async () => {
    const { runs } = await createTableStores({ connectionString: testStorageConnectionString(), tablePrefix: uniqueTablePrefix() });
    const issues = Array.from({ length: 200 }, (_, i) => ({ objectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, userPrincipalName: `someone.with.a.long.name${i}@contoso.example.com`, action: 'skip', code: 'missingName', message: 'user has neither a given name nor a surname '.repeat(3) }));
    const id = newRunId();
    await runs.save(run(id, { issues }));
    const stored = (await runs.get('acme', id))!;
    expect(stored.issues.length).toBeLessThan(200);
    expect(stored.issues.at(-1)).toMatchObject({ code: 'issuesTruncated' });
    expect(stored.issues.at(-1)!.message).toMatch(new RegExp(`^${200 - (stored.issues.length - 1)} more issues`));
  });
});
