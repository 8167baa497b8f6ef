import { describe, expect, it } from 'vitest';
import { processJob } from '../../../../shared/app/processJob';
import { requestSync } from '../../../../shared/app/requestSync';
import { AppError } from '../../../../shared/core/errors/AppError';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { type ContactLinkStore } from '../../../../shared/engine/ContactLinkStore';
import { PersonalContactsOptionsSchema } from '../../../../shared/features/contacts/personalContactsOptions';
import { adminCaller } from '../../../support/adminCall';
import { capturingLogger } from '../../../support/capturingLogger';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { createSandboxTenant } from '../../../support/sandboxTenant';
import { useSandboxes } from '../../../support/useSandboxes';

const sandboxes = useSandboxes();
let tenantSeq = 0;
let userSeq = 0;

/**
 * A fresh tenant whose users `ns` are synced (created by the connector, so it keeps their portal passwords)
 * before personal contacts are turned on; helpers run a feature and read a user's PBX contacts.
 */
async function setup(count: number, options: Record<string, unknown> = {}, users: Record<string, unknown> = {}) {
  const tenantId = `pcontacts${++tenantSeq}`;
  const ns = Array.from({ length: count }, () => 500 + ++userSeq);
  for (const n of ns) sandboxes.graph.addUser(numberedUser(n, 'Pc'));
  const { services } = await createSandboxTenant(sandboxes, tenantId, {
    scope: { mode: 'INCLUDE', users: ns.map(numberedGuid) },
    ...users,
  });
  const log = capturingLogger();
  services.queue.start(async (job) => {
    await processJob(services, job, log.logger);
  });
  const run = async (feature: string, mode: 'full' | 'delta' = 'delta'): Promise<SyncRun> => {
    const { runId } = await requestSync(services, { tenantId, feature, mode, trigger: 'manual' });
    await services.queue.idle();
    return (await services.runs.get(tenantId, runId))!;
  };
  expect((await run('users', 'full')).counts.created).toBe(count);
  const tenant = (await services.tenants.get(tenantId))!;
  const personalContacts = PersonalContactsOptionsSchema.parse({ enabled: true, ...options });
  await services.tenants.replace(tenantId, { ...tenant.config, personalContacts }, tenant.etag);
  const pbxUserOf = async (n: number) => (await services.links.get(tenantId, numberedGuid(n)))!.pbxUserId!;
  const contactsOf = async (n: number) => sandboxes.pbx.personalContacts(await pbxUserOf(n));
  return { services, tenantId, ns, run, contactsOf, pbxUserOf, log };
}

/** The PBX id of a user linked before (read from the sandbox, since the link may be gone by then). */
function pbxIdOf(n: number): string {
  return sandboxes.pbx.listUsers().find((u) => u.email === numberedUser(n, 'Pc').mail)!.id;
}

const grace = { displayName: 'Grace Hopper', companyName: 'Navy', businessPhones: ['+1 202 555 0100'], mobilePhone: '+1 202 555 0101' };

describe('Outlook personal contacts → the user’s PBX contacts', () => {
  it('adds, edits, clears and deletes, and an unchanged mailbox costs no PBX request', async () => {
    const t = await setup(1);
    const [n] = t.ns as [number];
    const added = sandboxes.graph.addContact(numberedGuid(n), grace);
    sandboxes.graph.addContact(numberedGuid(n), { displayName: 'No Number' });
    const first = await t.run('personalContacts');
    expect(first.status).toBe('succeeded');
    expect(first.counts).toMatchObject({ created: 1, skipped: 1, failed: 0 });
    expect(first.skippedByReason).toEqual({ missingPhone: 1 });
    expect(await t.contactsOf(n)).toEqual([
      expect.objectContaining({ name: 'Grace Hopper', company: 'Navy', business: '+1 202 555 0100' }),
    ]);

    sandboxes.graph.updateContact(numberedGuid(n), added.id, { jobTitle: 'Rear Admiral', companyName: null });
    expect((await t.run('personalContacts')).counts).toMatchObject({ updated: 1 });
    const [edited] = await t.contactsOf(n);
    expect(edited).toMatchObject({ title: 'Rear Admiral' });
    expect(edited?.company ?? '').toBe('');

    sandboxes.pbx.stats.reset();
    const quiet = await t.run('personalContacts');
    expect(quiet.counts).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(sandboxes.pbx.stats.requests).toBe(0);

    sandboxes.graph.deleteContact(numberedGuid(n), added.id);
    expect((await t.run('personalContacts')).counts).toMatchObject({ deleted: 1 });
    expect(await t.contactsOf(n)).toEqual([]);
  });

  it('never touches a contact the user made on the PBX, and a full run re-reads without writing', async () => {
    const t = await setup(1);
    const [n] = t.ns as [number];
    sandboxes.graph.addContact(numberedGuid(n), grace);
    await t.run('personalContacts');
    const own = sandboxes.pbx.addPersonalContact(await t.pbxUserOf(n), { name: 'My Plumber', mobile_phone: '555' });
    sandboxes.pbx.stats.reset();
    const full = await t.run('personalContacts', 'full');
    expect(full.counts).toMatchObject({ unchanged: 1, created: 0, deleted: 0 });
    expect(sandboxes.pbx.stats.writes).toBe(0);
    expect((await t.contactsOf(n)).map((c) => c.id)).toContain(own.id);
  });

  it('copies a 5,000-contact folder in full', async () => {
    const t = await setup(1);
    const [n] = t.ns as [number];
    sandboxes.graph.seedContacts(numberedGuid(n), 5000, { seed: 3 });
    const first = await t.run('personalContacts');
    expect(first.status).toBe('succeeded');
    expect(first.counts.created + first.counts.skipped).toBe(5000);
    expect(await t.contactsOf(n)).toHaveLength(first.counts.created);
  }, 120_000);

  it('a crash between the PBX create and the link write, replayed, leaves one contact', async () => {
    const t = await setup(1);
    const [n] = t.ns as [number];
    sandboxes.graph.addContact(numberedGuid(n), grace);
    const real = t.services.contactLinks;
    let failNext = true;
    // The second link write of the run is the `active` one after the PBX create: it fails once, as a crash would.
    let writes = 0;
    const crashing: ContactLinkStore = {
      ...real,
      listBySource: (...a) => real.listBySource(...a),
      deleteMany: (...a) => real.deleteMany(...a),
      deleteSource: (...a) => real.deleteSource(...a),
      deleteAllForTenant: (...a) => real.deleteAllForTenant(...a),
      putMany: async (links) => {
        writes += 1;
        if (writes === 2 && failNext) {
          failNext = false;
          throw new AppError('TRANSIENT', 'storage went away');
        }
        return real.putMany(links);
      },
    };
    t.services.contactLinks = crashing;
    await t.run('personalContacts'); // the queue retries the job: the replay finds the earlier create
    t.services.contactLinks = real;
    expect(failNext).toBe(false);
    expect(await t.contactsOf(n)).toHaveLength(1);
    const [link] = await real.listBySource(
      t.tenantId,
      (await t.services.contactSources.listByTenant(t.tenantId, 'personalContacts'))[0]!.sourceKey,
    );
    expect(link).toMatchObject({ state: 'active' });
  });

  it('reports a user whose password no longer works and does not sign in again and again', async () => {
    const t = await setup(1);
    const [n] = t.ns as [number];
    sandboxes.pbx.changePasswordAsUser(await t.pbxUserOf(n), 'Their-own-pass-42!');
    sandboxes.graph.addContact(numberedGuid(n), grace);
    const first = await t.run('personalContacts');
    expect(first.counts).toMatchObject({ skipped: 1, created: 0 });
    expect(first.skippedByReason).toEqual({ 'noUserAccess.passwordRejected': 1 });
    sandboxes.pbx.stats.reset();
    const second = await t.run('personalContacts');
    expect(second.skippedByReason).toEqual({ 'noUserAccess.passwordRejected': 1 });
    expect(sandboxes.pbx.stats.userSignIns).toBe(0);
    expect(sandboxes.pbx.stats.byRoute['POST /api/auth/sign_in'] ?? 0).toBe(0);
    // The admin API says who the connector cannot act as, and why, from what it stored.
    const access = await adminCaller(() => t.services)('listUserAccess', { method: 'GET', params: { id: t.tenantId } });
    expect(access.status).toBe(200);
    expect(access.body).toMatchObject({
      counts: { passwordRejected: 1 },
      value: [{ objectId: numberedGuid(n), access: 'passwordRejected', message: expect.stringContaining('manageUserPasswords') }],
    });
    const unknown = await adminCaller(() => t.services)('listUserAccess', { method: 'GET', params: { id: 'nosuchtenant' } });
    expect(unknown.status).toBe(404);
  });

  it('with manageUserPasswords, gives a user it created a new password and goes on', async () => {
    const t = await setup(1, {}, { manageUserPasswords: true });
    const [n] = t.ns as [number];
    sandboxes.pbx.forcePasswordReset(await t.pbxUserOf(n));
    sandboxes.graph.addContact(numberedGuid(n), grace);
    const run = await t.run('personalContacts');
    expect(run.counts).toMatchObject({ created: 1, skipped: 0 });
    expect(await t.contactsOf(n)).toHaveLength(1);
    const access = await adminCaller(() => t.services)('listUserAccess', { method: 'GET', params: { id: t.tenantId } });
    expect(access.body.counts).toEqual({ kept: 1 });
  });

  it('forgets the kept password of a user whose extension it deletes, or hands over to the PBX admin', async () => {
    const t = await setup(2, {}, { onHardDeleted: 'delete', onOutOfScope: 'retain' });
    const [deleted, retained] = t.ns as [number, number];
    const names = await Promise.all(t.ns.map(async (n) => (await t.services.links.get(t.tenantId, numberedGuid(n)))!.pbxUserName));
    const kept = t.services.portalPasswords!.forTenant(t.tenantId);
    for (const name of names) expect(await kept.get(name)).not.toBeNull();
    sandboxes.graph.hardDeleteUser(numberedGuid(deleted));
    const tenant = (await t.services.tenants.get(t.tenantId))!;
    const users = { ...tenant.config.users, scope: { mode: 'INCLUDE' as const, users: ['nobody@contoso.com'] } };
    await t.services.tenants.replace(t.tenantId, { ...tenant.config, users }, tenant.etag);
    const run = await t.run('users', 'full');
    expect(run.counts).toMatchObject({ deleted: 1, unlinked: 1 });
    expect(sandboxes.pbx.getUser(pbxIdOf(retained))).toBeDefined();
    for (const name of names) expect(await kept.get(name)).toBeNull();
  });

  it('never puts a portal password in a log, a run record or a change list', async () => {
    const t = await setup(2);
    for (const n of t.ns) sandboxes.graph.addContact(numberedGuid(n), grace);
    // The passwords the connector set (and keeps), read before one user changes theirs.
    const passwords = await Promise.all(t.ns.map(async (n) => sandboxes.pbx.userSecrets(await t.pbxUserOf(n))!.password));
    sandboxes.pbx.changePasswordAsUser(await t.pbxUserOf(t.ns[1]!), 'Their-own-pass-43!');
    const run = await t.run('personalContacts');
    const changes = await t.services.runChanges.list(t.tenantId, run.runId, { limit: 1000 });
    const seen = JSON.stringify([run, changes, t.log.records]);
    for (const password of [...passwords, 'Their-own-pass-43!']) expect(seen).not.toContain(password);
  });
});
