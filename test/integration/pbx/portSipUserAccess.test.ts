import { afterEach, describe, expect, it } from 'vitest';
import { PbxConfigSchema } from '../../../shared/config/TenantConfig';
import { type AppError } from '../../../shared/core/errors/AppError';
import { createPbxConnection } from '../../../shared/pbx/createPbxConnection';
import { type PbxAccount } from '../../../shared/pbx/ports/PbxAccount';
import { type PbxContact, type PbxContactFields } from '../../../shared/pbx/ports/PbxContact';
import { noUserAccessReasonOf } from '../../../shared/pbx/ports/PortalPasswords';
import { type PortSipClientOptions } from '../../../shared/pbx/portsip/PortSipClient';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { appErrorOf } from '../../support/appErrorOf';
import { MemoryPortalPasswords } from '../../support/memoryPortalPasswords';
import { numberedPbxUser } from '../../support/numberedPbxUser';
import { portSipConnectionPorts } from '../../support/portSipConnectionPorts';
import { recordingPortSipClient } from '../../support/recordingPortSipClient';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

/** Every error a test saw and every password kept, to prove afterwards that no error carries a password or a token. */
const seen: AppError[] = [];
const stores: MemoryPortalPasswords[] = [];
async function failure(work: Promise<unknown>): Promise<AppError> {
  const err = await appErrorOf(work);
  seen.push(err);
  return err;
}

async function setup(client: Partial<PortSipClientOptions> = {}) {
  pbx = await PortSipSandbox.start();
  const passwords = new MemoryPortalPasswords();
  stores.push(passwords);
  const { client: portSip, exchanges } = recordingPortSipClient(pbx, { portalPasswords: passwords, ...client });
  const ports = portSip.userPorts()!;
  return { client: portSip, passwords, exchanges, sandbox: pbx, ...ports };
}

const contact = (displayName: string): PbxContactFields => ({
  displayName,
  givenName: '',
  surname: '',
  company: 'Contoso',
  jobTitle: '',
  email: '',
  businessPhone: '',
  businessPhone2: '',
  mobilePhone: '+1 206 555 0100',
  homePhone: '',
  homePhone2: '',
  address: '',
  notes: '',
});

async function all(pages: AsyncIterable<PbxContact[]>): Promise<PbxContact[]> {
  const out: PbxContact[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

const signIns = (sandbox: PortSipSandbox) => sandbox.stats.byRoute['POST /api/auth/sign_in'] ?? 0;

describe('PortSipClient.createUser with kept portal passwords', () => {
  it('keeps the password before the PBX create, creates the user with it, and a replayed create reuses it', async () => {
    const { client, passwords, sandbox } = await setup();
    const usersWhenKept: number[] = [];
    passwords.onWrite = () => usersWhenKept.push(sandbox.listUsers().length);
    // The first create never lands (the PBX refuses it), as if the process had stopped around it.
    sandbox.faults.failNextMatching('POST', /^\/api\/users$/, 1, 400);
    await failure(client.createUser(numberedPbxUser(1)));
    expect(usersWhenKept).toEqual([0]);
    const kept = passwords.passwordOf('user1')!;
    expect(kept).toBeTruthy();

    const { id } = await client.createUser(numberedPbxUser(1));
    expect(passwords.events).toEqual([
      { kind: 'reserve', userName: 'user1', generated: true },
      { kind: 'reserve', userName: 'user1', generated: false },
    ]);
    expect(sandbox.userSecrets(id)?.password).toBe(kept);
  });

  it('without PortalPasswords creates users as before and offers no per-user ports', async () => {
    pbx = await PortSipSandbox.start();
    const { client } = recordingPortSipClient(pbx);
    const { id } = await client.createUser(numberedPbxUser(2));
    expect(pbx.userSecrets(id)?.password).toBeTruthy();
    expect(client.userPorts()).toBeUndefined();
  });
});

describe('createPbxConnection for PortSIP', () => {
  it('gives company contacts always, and the per-user ports only with PortalPasswords, all on one connection', async () => {
    pbx = await PortSipSandbox.start();
    const { username, password, domain } = pbx.credentials;
    const config = PbxConfigSchema.parse({ kind: 'portsip', baseUrl: pbx.baseUrl, domain, role: 'StandardUser' });
    const credential = { username, password, origin: new URL(pbx.baseUrl).origin };
    const plain = await createPbxConnection(config, credential);
    expect(Object.keys(plain).sort()).toEqual(portSipConnectionPorts.plain);

    const passwords = new MemoryPortalPasswords();
    const connection = await createPbxConnection(config, credential, { portalPasswords: passwords });
    expect(Object.keys(connection).sort()).toEqual(portSipConnectionPorts.withPortalPasswords);
    const { id } = await connection.users.createUser(numberedPbxUser(1));
    expect(pbx.userSecrets(id)?.password).toBe(passwords.passwordOf('user1'));
    await connection.personalContacts!.createContact({ id, userName: 'user1' }, contact('Mum'));
    await connection.companyContacts!.createContact(contact('Front desk'));
    expect(pbx.personalContacts(id)).toHaveLength(1);
    expect(pbx.companyContacts()).toHaveLength(1);
    // The admin signed in once for both ports: one session per connection.
    expect(pbx.stats.byRoute['POST /api/auth/sign_in']).toBe(2);
    expect(pbx.stats.userSignIns).toBe(1);
  });
});

describe('PortSIP per-user ports against the sandbox', () => {
  it('manages a created user’s personal contacts through a session as that user, apart from other users’', async () => {
    const { client, personalContacts, sandbox } = await setup();
    const alice: PbxAccount = { id: (await client.createUser(numberedPbxUser(1))).id, userName: 'user1' };
    const bob: PbxAccount = { id: (await client.createUser(numberedPbxUser(2))).id, userName: 'user2' };
    const { id } = await personalContacts.createContact(alice, contact('Mum'));
    await personalContacts.createContact(bob, contact('Bob’s dentist'));
    expect(sandbox.personalContacts(alice.id)).toMatchObject([{ id, name: 'Mum', company: 'Contoso', mobile_phone: '+1 206 555 0100' }]);
    expect((await all(personalContacts.listContacts(alice))).map((c) => c.displayName)).toEqual(['Mum']);

    await personalContacts.updateContact(alice, id, { mobilePhone: '', displayName: 'Mother' });
    expect(sandbox.personalContacts(alice.id)[0]).toMatchObject({ name: 'Mother', mobile_phone: null, company: 'Contoso' });
    await personalContacts.deleteContact(alice, id);
    await personalContacts.deleteContact(alice, id); // already gone: done
    expect(sandbox.personalContacts(alice.id)).toEqual([]);
    expect(sandbox.personalContacts(bob.id)).toHaveLength(1);
    // One sign-in per user (the admin's first), the sessions are reused.
    expect(sandbox.stats.userSignIns).toBe(2);
    expect(client.requestCount()).toBe(sandbox.stats.requests);
  });

  it('sets and removes a user’s avatar through an upload as the user', async () => {
    const { client, avatars, sandbox } = await setup();
    const account: PbxAccount = { id: (await client.createUser(numberedPbxUser(1))).id, userName: 'user1' };
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0x80, 0x81]);
    await avatars.setAvatar(account, { bytes, contentType: 'image/jpeg' });
    expect(sandbox.avatarOf(account.id)).toMatchObject({ fileName: 'avatar.jpg', bytes: Buffer.from(bytes) });
    expect(sandbox.getUser(account.id)).toBeDefined();
    await avatars.removeAvatar(account);
    expect(sandbox.avatarOf(account.id)).toBeUndefined();
    await avatars.removeAvatar(account); // none already: done
    expect(sandbox.stats.writesByKind).toMatchObject({ blobs: 3, avatars: 3 });
  });

  it('reports a user whose password the connector does not keep (noPasswordKept) without signing in', async () => {
    const { personalContacts, portalAccess, sandbox, passwords } = await setup();
    const byHand = sandbox.addUser({ name: 'carol', extension_number: '1003', email: 'carol@contoso.com' });
    const account = { id: byHand.id, userName: 'carol' };
    const before = signIns(sandbox);
    const err = await failure(all(personalContacts.listContacts(account)));
    expect(err.code).toBe('FORBIDDEN');
    expect(noUserAccessReasonOf(err)).toBe('noPasswordKept');
    expect(await portalAccess.check(account)).toBe('noPasswordKept');
    expect(signIns(sandbox)).toBe(before);
    expect(passwords.events.filter((e) => e.kind === 'markRefused')).toEqual([]);
  });

  it('marks a password the user changed as refused, does not try it again, and works again after resetPassword', async () => {
    const { client, personalContacts, portalAccess, passwords, sandbox } = await setup();
    const account: PbxAccount = { id: (await client.createUser(numberedPbxUser(1))).id, userName: 'user1' };
    await personalContacts.createContact(account, contact('Mum'));
    sandbox.changePasswordAsUser(account.id, 'Mine!Now8wz');

    const err = await failure(personalContacts.createContact(account, contact('Dad')));
    expect(noUserAccessReasonOf(err)).toBe('passwordRejected');
    expect(passwords.events.at(-1)).toEqual({ kind: 'markRefused', userName: 'user1', reason: 'passwordRejected' });
    const tried = signIns(sandbox);
    expect(noUserAccessReasonOf(await failure(all(personalContacts.listContacts(account))))).toBe('passwordRejected');
    expect(await portalAccess.check(account)).toBe('passwordRejected');
    expect(signIns(sandbox)).toBe(tried); // refused once, not tried again

    const secretsWhenKept: Array<string | undefined> = [];
    passwords.onWrite = () => secretsWhenKept.push(sandbox.userSecrets(account.id)?.password);
    await portalAccess.resetPassword(account);
    expect(secretsWhenKept).toEqual(['Mine!Now8wz']); // kept first, then set on the PBX
    expect(sandbox.userSecrets(account.id)?.password).toBe(passwords.passwordOf('user1'));
    expect(await portalAccess.check(account)).toBeNull();
    await personalContacts.createContact(account, contact('Dad'));
    expect(sandbox.personalContacts(account.id).map((c) => c.name)).toEqual(['Mum', 'Dad']);
  });

  it('tries a password replaced meanwhile (a reset by another connector instance) instead of marking it refused', async () => {
    const { client, personalContacts, passwords, sandbox } = await setup();
    const account: PbxAccount = { id: (await client.createUser(numberedPbxUser(1))).id, userName: 'user1' };
    await personalContacts.createContact(account, contact('Mum')); // a session with the first password is cached
    await passwords.replace('user1', 'Other!Inst4nce');
    sandbox.changePasswordAsUser(account.id, 'Other!Inst4nce');
    await personalContacts.createContact(account, contact('Dad'));
    expect(sandbox.personalContacts(account.id)).toHaveLength(2);
    expect(passwords.events.filter((e) => e.kind === 'markRefused')).toEqual([]);
  });

  it('reports a forced password reset (passwordResetRequired), whether the session is new or already open', async () => {
    const { client, personalContacts, portalAccess, passwords, sandbox } = await setup();
    const fresh: PbxAccount = { id: (await client.createUser(numberedPbxUser(1))).id, userName: 'user1' };
    sandbox.forcePasswordReset(fresh.id);
    expect(await portalAccess.check(fresh)).toBe('passwordResetRequired');
    expect(passwords.events.at(-1)).toEqual({ kind: 'markRefused', userName: 'user1', reason: 'passwordResetRequired' });

    const open: PbxAccount = { id: (await client.createUser(numberedPbxUser(2))).id, userName: 'user2' };
    expect(await portalAccess.check(open)).toBeNull();
    sandbox.forcePasswordReset(open.id);
    const err = await failure(personalContacts.createContact(open, contact('Mum')));
    expect(noUserAccessReasonOf(err)).toBe('passwordResetRequired');
    expect(passwords.events.at(-1)).toEqual({ kind: 'markRefused', userName: 'user2', reason: 'passwordResetRequired' });

    await portalAccess.resetPassword(open); // the sandbox lets an admin's new password satisfy the forced reset (⚠)
    expect(await portalAccess.check(open)).toBeNull();
  });

  it('reports two-factor sign-in (twoFactorRequired) and marks the password refused', async () => {
    const { client, avatars, passwords, sandbox } = await setup();
    const account: PbxAccount = { id: (await client.createUser(numberedPbxUser(1))).id, userName: 'user1' };
    sandbox.enableTwoFactor(account.id);
    const err = await failure(avatars.setAvatar(account, { bytes: new Uint8Array([1, 2, 3]), contentType: 'image/png' }));
    expect(noUserAccessReasonOf(err)).toBe('twoFactorRequired');
    expect(err.message).toBe(
      'PortSIP: cannot act as user user1: the user has two-factor sign-in on, which an unattended session cannot answer; ' +
        'the user must turn it off',
    );
    expect(passwords.events.at(-1)).toEqual({ kind: 'markRefused', userName: 'user1', reason: 'twoFactorRequired' });
    expect(sandbox.avatarOf(account.id)).toBeUndefined();
  });

  it('keeps outages and throttling retryable and never marks the password refused for them', async () => {
    const { client, personalContacts, passwords, sandbox } = await setup({ maxRetries: 0 });
    const account: PbxAccount = { id: (await client.createUser(numberedPbxUser(1))).id, userName: 'user1' };
    sandbox.faults.failNextMatching('POST', /sign_in$/, 1, 503);
    expect((await failure(all(personalContacts.listContacts(account)))).code).toBe('TRANSIENT');
    sandbox.faults.failNextMatching('POST', /sign_in$/, 1, 429);
    expect((await failure(all(personalContacts.listContacts(account)))).code).toBe('THROTTLED');
    sandbox.faults.failNextMatching('GET', /^\/api\/auth\/user$/, 1, 503);
    expect((await failure(all(personalContacts.listContacts(account)))).code).toBe('TRANSIENT');
    expect(passwords.events.filter((e) => e.kind === 'markRefused')).toEqual([]);
    expect(await all(personalContacts.listContacts(account))).toEqual([]);
  });

  it('put no password and no token in any error it threw', async () => {
    // Runs after the tests above (vitest runs a file's tests in order) and checks every error they collected.
    expect(seen.length).toBeGreaterThan(8);
    const keptPasswords = stores.flatMap((store) => store.events.map((event) => store.passwordOf(event.userName) ?? ''));
    const secrets = ['Mine!Now8wz', ...keptPasswords.filter(Boolean)];
    expect(secrets.length).toBeGreaterThan(5);
    for (const err of seen) {
      const text = `${err.message} ${JSON.stringify(err.details ?? null)} ${err.cause instanceof Error ? err.cause.message : ''}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
      // Sandbox access, refresh and upload tokens are 32+ characters of base64url.
      expect(text).not.toMatch(/[A-Za-z0-9_-]{32,}/);
    }
  });
});
