import { describe, expect, it } from 'vitest';
import { processJob } from '../../../../shared/app/processJob';
import { requestSync } from '../../../../shared/app/requestSync';
import { Logger } from '../../../../shared/core/logging/Logger';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { phonebookFeature } from '../../../../shared/features/contacts/phonebookFeature';
import { PhonebookOptionsSchema } from '../../../../shared/features/contacts/phonebookOptions';
import { createSandboxTenant } from '../../../support/sandboxTenant';
import { useSandboxes } from '../../../support/useSandboxes';

const sandboxes = useSandboxes();
let seq = 0;

async function setup(mailboxes: string[]) {
  const tenantId = `phonebook${++seq}`;
  const { services } = await createSandboxTenant(sandboxes, tenantId, { scope: { mode: 'INCLUDE', users: ['nobody@contoso.com'] } });
  services.queue.start(async (job) => {
    await processJob(services, job, Logger.silent());
  });
  const setMailboxes = async (sharedMailboxes: string[]) => {
    const tenant = (await services.tenants.get(tenantId))!;
    const phonebook = PhonebookOptionsSchema.parse({ enabled: true, sharedMailboxes });
    await services.tenants.replace(tenantId, { ...tenant.config, phonebook }, tenant.etag);
  };
  await setMailboxes(mailboxes);
  const run = async (mode: 'full' | 'delta' = 'delta'): Promise<SyncRun> => {
    const { runId } = await requestSync(services, { tenantId, feature: 'phonebook', mode, trigger: 'manual' });
    await services.queue.idle();
    return (await services.runs.get(tenantId, runId))!;
  };
  return { services, tenantId, run, setMailboxes };
}

const names = () =>
  sandboxes.pbx
    .companyContacts()
    .map((c) => c.name)
    .sort();

describe('shared mailbox contacts → the company phonebook', () => {
  it('copies every folder of the shared mailboxes, follows changes, and empties a mailbox taken off the list', async () => {
    const n = ++seq;
    const reception = `reception${n}@contoso.com`;
    const suppliers = `suppliers${n}@contoso.com`;
    sandboxes.graph.createSharedMailbox({ address: reception, displayName: 'Reception' });
    sandboxes.graph.createSharedMailbox({ address: suppliers, displayName: 'Suppliers' });
    const taxi = sandboxes.graph.addContact(reception, { displayName: `Taxi ${n}`, businessPhones: ['+49 30 1234'] });
    const vip = sandboxes.graph.createContactFolder(reception, 'VIP');
    sandboxes.graph.addContact(reception, { displayName: `Mayor ${n}`, mobilePhone: '+49 170 1' }, vip.id);
    sandboxes.graph.addContact(suppliers, { displayName: `Paper Co ${n}`, businessPhones: ['+49 30 9'] });
    const handMade = sandboxes.pbx.addCompanyContact({ name: `Made by hand ${n}`, business: '1' });
    const t = await setup([reception, suppliers]);

    const first = await t.run();
    expect(first.status).toBe('succeeded');
    expect(first.counts).toMatchObject({ created: 3, failed: 0 });
    expect(names()).toEqual(expect.arrayContaining([`Taxi ${n}`, `Mayor ${n}`, `Paper Co ${n}`, `Made by hand ${n}`]));

    sandboxes.graph.updateContact(reception, taxi.id, { displayName: `Night Taxi ${n}` });
    expect((await t.run()).counts).toMatchObject({ updated: 1 });
    expect(names()).toContain(`Night Taxi ${n}`);

    sandboxes.pbx.stats.reset();
    const full = await t.run('full');
    expect(full.counts).toMatchObject({ unchanged: 3, created: 0, updated: 0, deleted: 0 });
    expect(sandboxes.pbx.stats.writes).toBe(0);

    await t.setMailboxes([reception]);
    expect((await t.run()).counts).toMatchObject({ deleted: 1 });
    expect(names()).not.toContain(`Paper Co ${n}`);
    expect(sandboxes.pbx.companyContacts().map((c) => c.id)).toContain(handMade.id);
  });

  it('subscribes to each shared mailbox’s contacts', async () => {
    const options = PhonebookOptionsSchema.parse({ enabled: true, sharedMailboxes: ['B@contoso.com', 'a@contoso.com'] });
    expect(phonebookFeature.subscriptions(options)).toEqual([
      { graphResource: 'users/a@contoso.com/contacts', changeType: 'created,updated,deleted', maxLifetimeMinutes: 10_080 },
      { graphResource: 'users/b@contoso.com/contacts', changeType: 'created,updated,deleted', maxLifetimeMinutes: 10_080 },
    ]);
  });
});
