import { describe, expect, it } from 'vitest';
import { processJob } from '../../../shared/app/processJob';
import { requestSync } from '../../../shared/app/requestSync';
import { type TenantConfig } from '../../../shared/config/TenantConfig';
import { Logger } from '../../../shared/core/logging/Logger';
import { PersonalContactsOptionsSchema } from '../../../shared/features/contacts/personalContactsOptions';
import { PhonebookOptionsSchema } from '../../../shared/features/contacts/phonebookOptions';
import { PhotoSyncOptionsSchema } from '../../../shared/features/photos/photosOptions';
import { adminCaller } from '../../support/adminCall';
import { numberedGuid, numberedUser } from '../../support/numberedUser';
import { createSandboxTenant } from '../../support/sandboxTenant';
import { useSandboxes } from '../../support/useSandboxes';

/*
 * Pausing the contact features and photos end to end: the admin route over the sandbox Graph and PortSIP (real
 * HTTP) and Azurite. Each test has its own tenant and users (INCLUDE scope); the sandboxes are shared by the file.
 */

const sandboxes = useSandboxes();
let tenantSeq = 0;
let userSeq = 0;

type ContactFeature = 'personalContacts' | 'phonebook' | 'photos';

/**
 * A tenant with `count` Entra users synced (created by the connector, so it keeps their portal passwords), then
 * `feature` turned on with `options`; `seed` fills the sandbox Graph before the feature's first run.
 */
async function setup(feature: ContactFeature, options: { count: number; sharedMailboxes?: string[] }, seed: (ns: number[]) => void) {
  const tenantId = `lifecon${++tenantSeq}`;
  const ns = Array.from({ length: options.count }, () => 6000 + ++userSeq);
  for (const n of ns) sandboxes.graph.addUser(numberedUser(n, 'Lc'));
  const { services } = await createSandboxTenant(sandboxes, tenantId, {
    scope: { mode: 'INCLUDE', users: ns.length > 0 ? ns.map(numberedGuid) : ['nobody@contoso.com'] },
  });
  services.queue.start(async (job) => {
    await processJob(services, job, Logger.silent());
  });
  const run = async (name: string) => {
    const { runId } = await requestSync(services, { tenantId, feature: name, mode: 'full', trigger: 'manual' });
    await services.queue.idle({ withinMs: 2_000 });
    const record = await services.runs.get(tenantId, runId);
    expect(record?.status).toBe('succeeded');
    return record!;
  };
  await run('users');
  const turnedOn: Partial<TenantConfig> =
    feature === 'personalContacts'
      ? { personalContacts: PersonalContactsOptionsSchema.parse({ enabled: true }) }
      : feature === 'phonebook'
        ? { phonebook: PhonebookOptionsSchema.parse({ enabled: true, sharedMailboxes: options.sharedMailboxes }) }
        : { photos: PhotoSyncOptionsSchema.parse({ enabled: true }) };
  const tenant = (await services.tenants.get(tenantId))!;
  await services.tenants.replace(tenantId, { ...tenant.config, ...turnedOn }, tenant.etag);
  seed(ns);
  const firstRun = await run(feature);
  const pbxIdOf = async (n: number) => (await services.links.get(tenantId, numberedGuid(n)))!.pbxUserId!;
  const admin = adminCaller(() => services);
  const pause = (pbxRecords: 'delete' | 'retain', confirm?: true) =>
    admin('pauseFeature', {
      method: 'POST',
      params: { id: tenantId, feature },
      body: { pbxRecords, ...(confirm ? { confirm } : {}) },
    });
  const sourceKeys = async () => (await services.contactSources.listByTenant(tenantId, feature)).map((s) => s.sourceKey);
  const linksOf = async (keys: readonly string[]) =>
    (await Promise.all(keys.map((key) => services.contactLinks.listBySource(tenantId, key)))).flat();
  return { services, tenantId, ns, firstRun, pbxIdOf, pause, sourceKeys, linksOf };
}

const contact = (name: string, phone: string) => ({ displayName: name, businessPhones: [phone] });

/** The preview answers counts and writes nothing on the PBX, whichever choice it shows. */
async function expectPreview(
  t: Awaited<ReturnType<typeof setup>>,
  expected: { delete: { deleted: number; handedOver: number }; retain: { deleted: number; handedOver: number } },
) {
  sandboxes.pbx.stats.reset();
  for (const pbxRecords of ['delete', 'retain'] as const) {
    const preview = await t.pause(pbxRecords);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, failed: 0, ...expected[pbxRecords] });
  }
  expect(sandboxes.pbx.stats.writes).toBe(0);
  expect((await t.services.tenants.get(t.tenantId))!.config[t.firstRun.feature as ContactFeature].enabled).toBe(true);
}

describe('pause personalContacts over the sandboxes', () => {
  it('preview counts; retain: the contacts stay in the users’ PBX contacts, links, folders and delta states go', async () => {
    const t = await setup('personalContacts', { count: 2 }, (ns) => {
      for (const n of ns) sandboxes.graph.addContact(numberedGuid(n), contact(`Grace ${n}`, `+1 202 555 ${n}`));
    });
    expect(t.firstRun.counts).toMatchObject({ created: 2, failed: 0 });
    const keys = await t.sourceKeys();
    expect(keys).toHaveLength(2);
    await expectPreview(t, { delete: { deleted: 2, handedOver: 0 }, retain: { deleted: 0, handedOver: 2 } });
    expect(await t.linksOf(keys)).toHaveLength(2);

    const done = await t.pause('retain', true);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ enabled: false, deleted: 0, handedOver: 2, failed: 0, notes: [] });
    for (const n of t.ns) expect(sandboxes.pbx.personalContacts(await t.pbxIdOf(n)).map((c) => c.name)).toEqual([`Grace ${n}`]);
    expect(await t.sourceKeys()).toEqual([]);
    expect(await t.linksOf(keys)).toEqual([]);
    for (const key of keys) expect(await t.services.deltaStates.get(t.tenantId, key)).toBeNull();
  });

  it('delete: the contacts the connector wrote are gone, the user’s own stays; a failed delete keeps its link until paused again', async () => {
    const t = await setup('personalContacts', { count: 2 }, ([a, b]) => {
      sandboxes.graph.addContact(numberedGuid(a!), contact(`Ada ${a}`, '+44 20 1'));
      sandboxes.graph.addContact(numberedGuid(a!), contact(`Alan ${a}`, '+44 20 2'));
      sandboxes.graph.addContact(numberedGuid(b!), contact(`Barbara ${b}`, '+44 20 3'));
    });
    const [a, b] = t.ns as [number, number];
    const own = sandboxes.pbx.addPersonalContact(await t.pbxIdOf(a), { name: 'My Plumber', mobile_phone: '555' });
    const keys = await t.sourceKeys();
    // The PBX refuses one delete (not a retryable answer, so the client does not try again).
    sandboxes.pbx.faults.failNextMatching('POST', /^\/api\/user\/contacts\/[^/]+\/destroy$/, 1, 400);
    const done = await t.pause('delete', true);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ deleted: 2, handedOver: 0, failed: 1 });
    expect(done.body.notes).toEqual([expect.stringMatching(/^1 contact\(s\) could not be let go; their links are kept \(first error: /)]);
    const left = [...sandboxes.pbx.personalContacts(await t.pbxIdOf(a)), ...sandboxes.pbx.personalContacts(await t.pbxIdOf(b))];
    expect(left.map((c) => c.id)).toContain(own.id);
    expect(left).toHaveLength(2);
    const kept = await t.linksOf(keys);
    expect(kept).toHaveLength(1);
    expect(left.map((c) => c.id)).toContain(kept[0]!.pbxContactId);
    // Only the folder with the kept link is still known; every delta state went.
    expect(await t.sourceKeys()).toEqual([kept[0]!.sourceKey]);
    for (const key of keys) expect(await t.services.deltaStates.get(t.tenantId, key)).toBeNull();

    const again = await t.pause('delete', true);
    expect(again.body).toMatchObject({ deleted: 1, failed: 0, notes: [] });
    expect(sandboxes.pbx.personalContacts(await t.pbxIdOf(a)).map((c) => c.id)).toEqual([own.id]);
    expect(sandboxes.pbx.personalContacts(await t.pbxIdOf(b))).toEqual([]);
    expect(await t.sourceKeys()).toEqual([]);
    expect(await t.linksOf(keys)).toEqual([]);
  });

  it('delete hands over the contacts of a user the connector can no longer act as, and says why', async () => {
    const t = await setup('personalContacts', { count: 2 }, (ns) => {
      for (const n of ns) sandboxes.graph.addContact(numberedGuid(n), contact(`Grace ${n}`, `+1 202 555 ${n}`));
    });
    const [a, b] = t.ns as [number, number];
    sandboxes.pbx.changePasswordAsUser(await t.pbxIdOf(b), 'Their-own-pass-44!');
    const done = await t.pause('delete', true);
    expect(done.body).toMatchObject({ deleted: 1, handedOver: 1, failed: 0 });
    expect(done.body.notes).toEqual(['the connector cannot act as 1 user(s) (passwordRejected: 1): their contacts are handed over']);
    expect(sandboxes.pbx.personalContacts(await t.pbxIdOf(a))).toEqual([]);
    expect(sandboxes.pbx.personalContacts(await t.pbxIdOf(b)).map((c) => c.name)).toEqual([`Grace ${b}`]);
    expect(await t.sourceKeys()).toEqual([]);
  });
});

describe('pause phonebook over the sandboxes', () => {
  /** A shared mailbox with two contacts; the phonebook copies them. */
  const withMailbox = async () => {
    const mailbox = `lifecycle${tenantSeq + 1}@contoso.com`;
    const names = [`Taxi ${tenantSeq + 1}`, `Mayor ${tenantSeq + 1}`];
    const t = await setup('phonebook', { count: 0, sharedMailboxes: [mailbox] }, () => {
      sandboxes.graph.createSharedMailbox({ address: mailbox, displayName: 'Reception' });
      sandboxes.graph.addContact(mailbox, contact(names[0]!, '+49 30 1'));
      sandboxes.graph.addContact(mailbox, contact(names[1]!, '+49 30 2'));
    });
    expect(t.firstRun.counts).toMatchObject({ created: 2, failed: 0 });
    return { t, names };
  };
  const inPhonebook = (names: readonly string[]) =>
    sandboxes.pbx
      .companyContacts()
      .filter((c) => names.includes(c.name))
      .map((c) => c.name)
      .sort();

  it('preview counts; retain: the entries stay in the company phonebook, links, folders and delta states go', async () => {
    const { t, names } = await withMailbox();
    const keys = await t.sourceKeys();
    await expectPreview(t, { delete: { deleted: 2, handedOver: 0 }, retain: { deleted: 0, handedOver: 2 } });

    const done = await t.pause('retain', true);
    expect(done.body).toMatchObject({ enabled: false, deleted: 0, handedOver: 2, failed: 0 });
    expect(inPhonebook(names)).toEqual([...names].sort());
    expect(await t.sourceKeys()).toEqual([]);
    expect(await t.linksOf(keys)).toEqual([]);
    for (const key of keys) expect(await t.services.deltaStates.get(t.tenantId, key)).toBeNull();
  });

  it('delete: the entries the connector wrote are gone, one made by hand stays; a failed delete keeps its link', async () => {
    const { t, names } = await withMailbox();
    const handMade = sandboxes.pbx.addCompanyContact({ name: `By hand ${t.tenantId}`, business: '1' });
    const keys = await t.sourceKeys();
    sandboxes.pbx.faults.failNextMatching('POST', /^\/api\/contacts\/[^/]+\/destroy$/, 1, 400);
    const done = await t.pause('delete', true);
    expect(done.body).toMatchObject({ deleted: 1, handedOver: 0, failed: 1 });
    expect(done.body.notes).toEqual([expect.stringMatching(/^1 contact\(s\) could not be let go; their links are kept/)]);
    expect(inPhonebook(names)).toHaveLength(1);
    const kept = await t.linksOf(keys);
    expect(kept.map((l) => l.fields.displayName)).toEqual(inPhonebook(names));
    expect(sandboxes.pbx.companyContacts().map((c) => c.id)).toContain(handMade.id);

    const again = await t.pause('delete', true);
    expect(again.body).toMatchObject({ deleted: 1, failed: 0 });
    expect(inPhonebook(names)).toEqual([]);
    expect(sandboxes.pbx.companyContacts().map((c) => c.id)).toContain(handMade.id);
    expect(await t.sourceKeys()).toEqual([]);
    expect(await t.linksOf(keys)).toEqual([]);
  });
});

describe('pause photos over the sandboxes', () => {
  const withPictures = () =>
    setup('photos', { count: 3 }, ([a, b]) => {
      sandboxes.graph.setUserPhoto(numberedGuid(a!), { bytes: Buffer.from(`picture of ${a}`) });
      sandboxes.graph.setUserPhoto(numberedGuid(b!), { bytes: Buffer.from(`picture of ${b}`) });
    });

  it('preview counts (a user without a photo counts for nothing); retain: the pictures stay, the photo states go', async () => {
    const t = await withPictures();
    expect(t.firstRun.counts).toMatchObject({ updated: 2, unchanged: 1 });
    expect(await t.services.photoStates.listByTenant(t.tenantId)).toHaveLength(3);
    await expectPreview(t, { delete: { deleted: 2, handedOver: 0 }, retain: { deleted: 0, handedOver: 2 } });

    const done = await t.pause('retain', true);
    expect(done.body).toMatchObject({ enabled: false, deleted: 0, handedOver: 2, failed: 0, notes: [] });
    const [a, b] = t.ns as [number, number];
    expect(sandboxes.pbx.avatarOf(await t.pbxIdOf(a))?.bytes.toString()).toBe(`picture of ${a}`);
    expect(sandboxes.pbx.avatarOf(await t.pbxIdOf(b))).toBeDefined();
    expect(await t.services.photoStates.listByTenant(t.tenantId)).toEqual([]);
  });

  it('delete: the pictures the connector set are removed; a failed removal keeps its photo state', async () => {
    const t = await withPictures();
    const [a, b] = t.ns as [number, number];
    sandboxes.pbx.faults.failNextMatching('POST', /^\/api\/user$/, 1, 400);
    const done = await t.pause('delete', true);
    expect(done.body).toMatchObject({ deleted: 1, handedOver: 0, failed: 1 });
    expect(done.body.notes).toEqual([expect.stringMatching(/^1 picture\(s\) could not be let go; their photo states are kept/)]);
    const pictures = await Promise.all([a, b].map(async (n) => sandboxes.pbx.avatarOf(await t.pbxIdOf(n))));
    expect(pictures.filter((p) => p !== undefined)).toHaveLength(1);
    const kept = await t.services.photoStates.listByTenant(t.tenantId);
    expect(kept).toHaveLength(1);
    const keptN = [a, b].find((n) => numberedGuid(n) === kept[0]!.objectId)!;
    expect(sandboxes.pbx.avatarOf(await t.pbxIdOf(keptN))).toBeDefined();

    const again = await t.pause('delete', true);
    expect(again.body).toMatchObject({ deleted: 1, failed: 0 });
    for (const n of [a, b]) expect(sandboxes.pbx.avatarOf(await t.pbxIdOf(n))).toBeUndefined();
    expect(await t.services.photoStates.listByTenant(t.tenantId)).toEqual([]);
  });
});
