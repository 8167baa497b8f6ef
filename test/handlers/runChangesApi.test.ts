import { HttpRequest, InvocationContext } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminHandler, adminRoutes } from '../../shared/admin/adminRoutes';
import { type Services } from '../../shared/app/Services';
import { type RunChangeInput } from '../../shared/engine/RunChange';
import { RunChangeRecorder } from '../../shared/engine/RunChangeRecorder';
import { type SyncRun, emptyCounts } from '../../shared/engine/RunStore';
import { newRunId } from '../../shared/engine/newRunId';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';
import { createTestServices } from '../support/testServices';

let services: Services;
const runId = newRunId(new Date('2026-03-01T08:00:00.000Z'));

const route = adminRoutes.find((r) => r.name === 'listRunChanges')!;

async function changes(query = '', params: Record<string, string> = { id: 'contoso', runId }) {
  const request = new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/x${query ? `?${query}` : ''}`, params });
  const response = await adminHandler(route, async () => services)(request, new InvocationContext({ functionName: 'listRunChanges' }));
  return { status: response.status ?? 200, body: response.jsonBody as Record<string, any> };
}

const run: SyncRun = {
  tenantId: 'contoso',
  runId,
  feature: 'users',
  status: 'partial',
  trigger: 'manual',
  mode: 'full',
  dryRun: false,
  queuedAt: '2026-03-01T08:00:00.000Z',
  counts: emptyCounts(),
  skippedByReason: {},
  outOfScopeByReason: {},
  itemsRead: 150,
  issues: [],
  graphRequests: 1,
  pbxRequests: 1,
  pages: 1,
  notes: [],
};

function item(i: number): RunChangeInput {
  const label = `user${String(i).padStart(3, '0')}@contoso.example`;
  const base = { feature: 'users', sourceId: `object-${i}`, label, extension: String(1000 + i) };
  if (i % 3 === 0) return { ...base, outcome: 'created', pbxId: `pbx-${i}` };
  if (i % 3 === 1) return { ...base, outcome: 'updated', fields: ['displayName'] };
  return { ...base, outcome: 'failed', code: 'VALIDATE_FAILED', message: 'invalid email' };
}

beforeAll(async () => {
  services = await createTestServices();
  await services.tenants.create('contoso', tenantConfig());
  await services.runs.create(run);
  const recorder = new RunChangeRecorder(services.runChanges, { tenantId: 'contoso', runId, dryRun: false });
  recorder.add(Array.from({ length: 150 }, (_, i) => item(i)));
  await recorder.flush();
});

describe('GET /tenants/{id}/runs/{runId}/changes', () => {
  it('answers the first 100 items in order with a continuation token, and the rest on the next page', async () => {
    const first = await changes();
    expect(first.status).toBe(200);
    expect(first.body.value).toHaveLength(100);
    expect(first.body.value[0]).toEqual({ ...item(0), at: expect.any(String) });
    expect(first.body.value[1]).toMatchObject({ outcome: 'updated', fields: ['displayName'], sourceId: 'object-1' });
    expect(typeof first.body.continuationToken).toBe('string');
    const second = await changes(`continuationToken=${encodeURIComponent(first.body.continuationToken)}`);
    expect(second.status).toBe(200);
    expect(second.body.value.map((c: { sourceId: string }) => c.sourceId)).toEqual(
      Array.from({ length: 50 }, (_, i) => `object-${100 + i}`),
    );
    expect(second.body).not.toHaveProperty('continuationToken');
  });

  it('filters by outcome, feature and search text, with a limit', async () => {
    const failed = await changes('outcome=failed,created&limit=500');
    expect(failed.body.value).toHaveLength(100);
    expect(failed.body.value.every((c: { outcome: string }) => c.outcome !== 'updated')).toBe(true);
    const search = await changes('q=USER04&outcome=failed');
    expect(search.body.value.map((c: { label: string }) => c.label)).toEqual([
      'user041@contoso.example',
      'user044@contoso.example',
      'user047@contoso.example',
    ]);
    expect((await changes('q=1149')).body.value.map((c: { sourceId: string }) => c.sourceId)).toEqual(['object-149']);
    expect((await changes('feature=contacts')).body).toEqual({ value: [] });
    const limited = await changes('limit=1');
    expect(limited.body.value).toHaveLength(1);
    expect(limited.body.continuationToken).toBeDefined();
  });

  it('answers 404 for an unknown run or tenant', async () => {
    const unknownRun = await changes('', { id: 'contoso', runId: newRunId(new Date('2026-03-02T00:00:00.000Z')) });
    expect(unknownRun.status).toBe(404);
    expect(unknownRun.body.error.message).toContain('does not exist');
    expect((await changes('', { id: 'fabrikam', runId })).status).toBe(404);
  });

  it('answers 400 for bad parameters, naming them', async () => {
    for (const [query, words] of [
      ['limit=0', 'limit must be an integer from 1 to 500'],
      ['limit=501', 'limit must be'],
      ['outcome=created,nope', 'unknown outcome "nope"'],
      ['continuationToken=garbage', 'continuationToken is not valid'],
      ['feature=no such', 'feature'],
    ] as const) {
      const res = await changes(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
      expect(res.body.error.message).toContain(words);
    }
    expect((await changes('', { id: 'contoso', runId: '../x' })).status).toBe(400);
  });
});
