import { describe, expect, it } from 'vitest';
import { processJob } from '../../../../shared/app/processJob';
import { requestSync } from '../../../../shared/app/requestSync';
import { Logger } from '../../../../shared/core/logging/Logger';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { PhotoSyncOptionsSchema } from '../../../../shared/features/photos/photosOptions';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { createSandboxTenant } from '../../../support/sandboxTenant';
import { useSandboxes } from '../../../support/useSandboxes';

const sandboxes = useSandboxes();
let seq = 0;
let userSeq = 0;

async function setup(count: number, users: Record<string, unknown> = {}) {
  const tenantId = `photos${++seq}`;
  const ns = Array.from({ length: count }, () => 700 + ++userSeq);
  for (const n of ns) sandboxes.graph.addUser(numberedUser(n, 'Ph'));
  const { services } = await createSandboxTenant(sandboxes, tenantId, {
    scope: { mode: 'INCLUDE', users: ns.map(numberedGuid) },
    ...users,
  });
  services.queue.start(async (job) => {
    await processJob(services, job, Logger.silent());
  });
  const run = async (feature: string, mode: 'full' | 'delta' = 'full'): Promise<SyncRun> => {
    const { runId } = await requestSync(services, { tenantId, feature, mode, trigger: 'manual' });
    await services.queue.idle();
    return (await services.runs.get(tenantId, runId))!;
  };
  expect((await run('users')).counts.created).toBe(count);
  const tenant = (await services.tenants.get(tenantId))!;
  await services.tenants.replace(tenantId, { ...tenant.config, photos: PhotoSyncOptionsSchema.parse({ enabled: true }) }, tenant.etag);
  const avatarOf = async (n: number) => sandboxes.pbx.avatarOf((await services.links.get(tenantId, numberedGuid(n)))!.pbxUserId!);
  return { services, tenantId, ns, run, avatarOf };
}

describe('Entra photos → PBX pictures', () => {
  it('sets, changes and removes the picture, and an unchanged photo costs no PBX request', async () => {
    const t = await setup(2);
    const [a, b] = t.ns as [number, number];
    sandboxes.graph.setUserPhoto(numberedGuid(a), { bytes: Buffer.from('first picture') });
    const first = await t.run('photos');
    expect(first.status).toBe('succeeded');
    expect(first.counts).toMatchObject({ updated: 1, unchanged: 1, failed: 0 });
    expect((await t.avatarOf(a))?.bytes.toString()).toBe('first picture');
    expect(await t.avatarOf(b)).toBeUndefined();

    sandboxes.pbx.stats.reset();
    sandboxes.graph.stats.reset();
    expect((await t.run('photos')).counts).toMatchObject({ unchanged: 2, updated: 0 });
    expect(sandboxes.pbx.stats.requests).toBe(0);
    // One metadata request per user: the known ETag saves the download.
    expect(sandboxes.graph.stats.requests).toBe(2);

    // A new ETag with the same picture: no PBX write either.
    sandboxes.graph.setUserPhoto(numberedGuid(a), { bytes: Buffer.from('first picture') });
    sandboxes.pbx.stats.reset();
    expect((await t.run('photos')).counts).toMatchObject({ unchanged: 2 });
    expect(sandboxes.pbx.stats.writes).toBe(0);

    sandboxes.graph.setUserPhoto(numberedGuid(a), { bytes: Buffer.from('second picture') });
    expect((await t.run('photos')).counts).toMatchObject({ updated: 1 });
    expect((await t.avatarOf(a))?.bytes.toString()).toBe('second picture');

    sandboxes.graph.removeUserPhoto(numberedGuid(a));
    expect((await t.run('photos')).counts).toMatchObject({ updated: 1 });
    expect(await t.avatarOf(a)).toBeUndefined();
  });

  it('reports a user the connector adopted instead of setting their picture', async () => {
    const n = 700 + ++userSeq;
    const user = numberedUser(n, 'Ph');
    sandboxes.pbx.addUser({ name: `adopted${n}`, extension_number: String(46000 + n), email: user.mail!, display_name: user.displayName! });
    sandboxes.graph.addUser(user);
    const tenantId = `photos${++seq}`;
    const { services } = await createSandboxTenant(sandboxes, tenantId, {
      scope: { mode: 'INCLUDE', users: [numberedGuid(n)] },
      adoptByEmail: true,
    });
    services.queue.start(async (job) => {
      await processJob(services, job, Logger.silent());
    });
    const run = async (feature: string) => {
      const { runId } = await requestSync(services, { tenantId, feature, mode: 'full', trigger: 'manual' });
      await services.queue.idle();
      return (await services.runs.get(tenantId, runId))!;
    };
    expect((await run('users')).counts.adopted).toBe(1);
    const tenant = (await services.tenants.get(tenantId))!;
    await services.tenants.replace(tenantId, { ...tenant.config, photos: PhotoSyncOptionsSchema.parse({ enabled: true }) }, tenant.etag);
    sandboxes.graph.setUserPhoto(numberedGuid(n));
    const photos = await run('photos');
    expect(photos.counts).toMatchObject({ skipped: 1, updated: 0 });
    expect(photos.skippedByReason).toEqual({ 'noUserAccess.adopted': 1 });
  });
});
