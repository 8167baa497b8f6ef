import { type TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { purgeExpiredRunChanges } from '../../../../shared/app/purgeExpiredRunChanges';
import { type RunChange, type RunChangeInput } from '../../../../shared/engine/RunChange';
import { RunChangeRecorder } from '../../../../shared/engine/RunChangeRecorder';
import { newRunId } from '../../../../shared/engine/newRunId';
import { TableRunChangeStore } from '../../../../shared/platform/tables/TableRunChangeStore';
import { freshStores, rejection } from './storeTestTables';

/** The store over its own client, counting the requests it sends (a `$batch` is one transaction). */
async function countingStore(maxScanned?: number) {
  const stores = await freshStores();
  const table: TableClient = stores.rawTable('runchanges');
  const requests: string[] = [];
  table.pipeline.addPolicy({
    name: 'countRequests',
    sendRequest: (request, next) => {
      requests.push(new URL(request.url).pathname.endsWith('$batch') ? 'batch' : request.method);
      return next(request);
    },
  });
  return { stores, table, requests, store: new TableRunChangeStore(table, { maxScanned }) };
}

const OUTCOMES: RunChangeInput[] = [
  { feature: 'users', sourceId: 's', outcome: 'created' },
  { feature: 'users', sourceId: 's', outcome: 'updated', fields: ['displayName', 'email'] },
  { feature: 'users', sourceId: 's', outcome: 'outOfScope', reason: 'guest' },
  { feature: 'users', sourceId: 's', outcome: 'skipped', reason: 'missingName' },
  { feature: 'users', sourceId: 's', outcome: 'failed', code: 'VALIDATE_FAILED', message: 'bad email' },
];

/** Item i: a cycle of outcomes, with ids, labels and extensions that say which item it is. */
function item(i: number): RunChangeInput {
  const n = String(i).padStart(4, '0');
  return {
    ...OUTCOMES[i % OUTCOMES.length]!,
    feature: i % 10 === 9 ? 'contacts' : 'users',
    sourceId: `0000${n}-1111-4111-8111-111111111111`,
    label: `User${n}@Contoso.example`,
    pbxId: `pbx-${n}`,
    extension: String(5000 + i),
    at: new Date(Date.UTC(2026, 2, 1, 0, 0, 0, i)).toISOString(),
  };
}

async function record(store: TableRunChangeStore, tenantId: string, runId: string, items: RunChangeInput[]) {
  const recorder = new RunChangeRecorder(store, { tenantId, runId, dryRun: false });
  recorder.add(items);
  await recorder.flush();
}

/** Every page of a query, following continuations. */
async function allPages(store: TableRunChangeStore, tenantId: string, runId: string, query: Parameters<TableRunChangeStore['list']>[2]) {
  const pages: RunChange[][] = [];
  let after: string | undefined;
  do {
    const page = await store.list(tenantId, runId, { ...query, after });
    pages.push(page.items);
    after = page.next;
  } while (after !== undefined && pages.length < 100);
  return pages;
}

const runAt = (iso: string) => newRunId(new Date(iso));
const keysOf = (row: { partitionKey?: string; rowKey?: string }) => ({ partitionKey: row.partitionKey!, rowKey: row.rowKey! });

describe('TableRunChangeStore', () => {
  it('writes a run of 250 items in 3 transactions and reads them back in order, page by page', async () => {
    const { store, requests } = await countingStore();
    const runId = runAt('2026-03-01T08:00:00.000Z');
    const items = Array.from({ length: 250 }, (_, i) => item(i));
    await record(store, 'acme', runId, items);
    expect(requests).toEqual(['batch', 'batch', 'batch']);

    const pages = await allPages(store, 'acme', runId, { limit: 100 });
    expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
    expect(pages.flat().map((change) => change.sourceId)).toEqual(items.map((i) => i.sourceId));
    expect(pages.flat()[1]).toEqual({ ...item(1), fields: ['displayName', 'email'] });
    expect(pages.flat()[4]).toMatchObject({ outcome: 'failed', code: 'VALIDATE_FAILED', message: 'bad email', pbxId: 'pbx-0004' });
    // A page that ends exactly at the end says so: no continuation to an empty page.
    expect((await allPages(store, 'acme', runId, { limit: 125 })).map((page) => page.length)).toEqual([125, 125]);
  });

  it('keeps runs and tenants apart, and a retried batch replaces its items instead of repeating them', async () => {
    const { store } = await countingStore();
    const first = runAt('2026-03-01T08:00:00.000Z');
    const second = runAt('2026-03-01T09:00:00.000Z');
    await record(store, 'acme', first, [item(0), item(1)]);
    await record(store, 'acme', second, [item(2)]);
    await record(store, 'beta', first, [item(3)]);
    expect((await store.list('acme', first, { limit: 10 })).items.map((c) => c.sourceId)).toEqual([item(0).sourceId, item(1).sourceId]);
    expect((await store.list('acme', second, { limit: 10 })).items).toHaveLength(1);
    expect((await store.list('beta', first, { limit: 10 })).items.map((c) => c.sourceId)).toEqual([item(3).sourceId]);
    expect(await store.list('acme', runAt('2026-03-01T10:00:00.000Z'), { limit: 10 })).toEqual({ items: [] });

    const key = '1772352000000-0a1b2c3d-00000001';
    await store.append('gamma', first, [{ key, change: { ...item(5), outcome: 'created', at: 'one' } }]);
    await store.append('gamma', first, [{ key, change: { ...item(5), outcome: 'created', at: 'two' } }]);
    expect((await store.list('gamma', first, { limit: 10 })).items.map((c) => c.at)).toEqual(['two']);
  });

  it('filters by outcomes and feature (in the service) and by a case-insensitive search, across pages', async () => {
    const { store } = await countingStore();
    const runId = runAt('2026-03-01T08:00:00.000Z');
    const items = Array.from({ length: 250 }, (_, i) => item(i));
    await record(store, 'acme', runId, items);

    const failedOrCreated = (await allPages(store, 'acme', runId, { limit: 30, outcomes: ['failed', 'created'] })).flat();
    expect(failedOrCreated.map((c) => c.sourceId)).toEqual(items.filter((_, i) => i % 5 === 0 || i % 5 === 4).map((i) => i.sourceId));
    const contacts = (await allPages(store, 'acme', runId, { limit: 500, feature: 'contacts', outcomes: ['failed'] })).flat();
    expect(contacts.map((c) => c.extension)).toEqual(Array.from({ length: 25 }, (_, k) => String(5009 + 10 * k)));
    expect(contacts.every((c) => c.feature === 'contacts' && c.outcome === 'failed')).toBe(true);

    const byLabel = await store.list('acme', runId, { limit: 10, q: 'user0012@contoso' });
    expect(byLabel.items.map((c) => c.label)).toEqual(['User0012@Contoso.example']);
    expect(byLabel.next).toBeUndefined();
    expect((await store.list('acme', runId, { limit: 10, q: '5100' })).items.map((c) => c.extension)).toEqual(['5100']);
    expect((await store.list('acme', runId, { limit: 10, q: '00000200-1111' })).items.map((c) => c.extension)).toEqual(['5200']);
    const search = (await allPages(store, 'acme', runId, { limit: 4, q: 'user01' })).flat();
    expect(search.map((c) => c.label)).toEqual(
      Array.from({ length: 100 }, (_, i) => `User${String(100 + i).padStart(4, '0')}@Contoso.example`),
    );
  });

  it('bounds the rows one search examines: a short (even empty) page with a continuation that goes on', async () => {
    const { store } = await countingStore(20);
    const runId = runAt('2026-03-01T08:00:00.000Z');
    await record(
      store,
      'acme',
      runId,
      Array.from({ length: 50 }, (_, i) => item(i)),
    );
    const first = await store.list('acme', runId, { limit: 10, q: 'user0045' });
    expect(first.items).toEqual([]);
    expect(first.next).toBeDefined();
    const pages = await allPages(store, 'acme', runId, { limit: 10, q: 'user0045' });
    expect(pages.flat().map((c) => c.extension)).toEqual(['5045']);
  });

  it('refuses a stored row that no longer matches', async () => {
    const { store, table } = await countingStore();
    const runId = runAt('2026-03-01T08:00:00.000Z');
    await record(store, 'acme', runId, [item(1)]);
    for await (const row of table.listEntities()) await table.updateEntity({ ...keysOf(row), fields: 'not json' }, 'Merge');
    const err = await rejection(store.list('acme', runId, { limit: 10 }), 'INTERNAL');
    expect(err.message).toContain('fields');
  });

  it('purges exactly the runs queued before the cutoff, of every tenant, in transactions', async () => {
    const { store, requests } = await countingStore();
    const cutoff = new Date('2026-03-10T12:00:00.000Z');
    const expired = [
      ['acme', runAt('2026-02-01T00:00:00.000Z'), 230],
      ['beta', runAt('2026-03-09T23:59:59.000Z'), 3],
      ['acme', runAt('2026-03-10T11:59:59.999Z'), 2],
    ] as const;
    const kept = [
      ['acme', runAt('2026-03-10T12:00:00.000Z'), 2],
      ['beta', runAt('2026-03-10T18:00:00.000Z'), 1],
      ['acme', runAt('2026-03-11T00:00:00.000Z'), 4],
    ] as const;
    for (const [tenantId, runId, count] of [...expired, ...kept])
      await record(
        store,
        tenantId,
        runId,
        Array.from({ length: count }, (_, i) => item(i)),
      );

    requests.length = 0;
    expect(await store.purgeRunsBefore(cutoff)).toEqual({ runs: 3, items: 235 });
    // Reads of keys only, then one delete transaction per partition and 100 rows (230 → 3, then 1 and 1).
    expect(requests.filter((r) => r === 'batch')).toHaveLength(5);
    for (const [tenantId, runId] of expired) expect((await store.list(tenantId, runId, { limit: 500 })).items).toEqual([]);
    for (const [tenantId, runId, count] of kept) expect((await store.list(tenantId, runId, { limit: 500 })).items).toHaveLength(count);
    expect(await store.purgeRunsBefore(cutoff)).toEqual({ runs: 0, items: 0 });
  });
});

describe('purgeExpiredRunChanges', () => {
  it('purges the runs older than the retention', async () => {
    const stores = await freshStores();
    const now = new Date('2026-04-30T06:00:00.000Z');
    const old = newRunId(new Date('2026-03-31T05:59:59.000Z'));
    const recent = newRunId(new Date('2026-03-31T06:00:01.000Z'));
    await record(stores.runChanges as TableRunChangeStore, 'acme', old, [item(0)]);
    await record(stores.runChanges as TableRunChangeStore, 'acme', recent, [item(1)]);
    expect(await purgeExpiredRunChanges(stores, now, 30)).toEqual({ runs: 1, items: 1 });
    expect((await stores.runChanges.list('acme', recent, { limit: 10 })).items).toHaveLength(1);
    await rejection(purgeExpiredRunChanges(stores, now, 0), 'CONFIG');
  });
});
