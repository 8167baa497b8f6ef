import { afterEach, describe, expect, it } from 'vitest';
import { type PbxConfig, PbxConfigSchema } from '../../../shared/config/TenantConfig';
import { createPbxConnection } from '../../../shared/pbx/createPbxConnection';
import { type PbxKind } from '../../../shared/pbx/ports/PbxProfile';
import { PortSipClient } from '../../../shared/pbx/portsip/PortSipClient';
import { PortSipGroups } from '../../../shared/pbx/portsip/PortSipGroups';
import { portSipProfile } from '../../../shared/pbx/portsip/portSipProfile';
import { appErrorOf } from '../../support/appErrorOf';
import { MemoryPortalPasswords } from '../../support/memoryPortalPasswords';
import { portSipConnectionPorts } from '../../support/portSipConnectionPorts';
import { type FakePortSip, startFakePortSip } from './fakePortSipServer';
import { ThreeCxSandbox } from '../../../sandbox/threecx';

const admin = { username: 'syncadmin', password: 'Admin!Pass#1' };
const OFFICIAL = 'https://pbx.contoso.com:8887';
/** The credential as written for the PBX at `baseUrl` (bound to its origin). */
const credentialFor = (baseUrl: string) => ({ ...admin, origin: new URL(baseUrl).origin });
const credential = credentialFor(OFFICIAL);

// A Record over every kind: a new kind in the tenant configuration does not compile until it has a config here.
const configFor: Record<PbxKind, (baseUrl: string) => PbxConfig> = {
  portsip: (baseUrl) => PbxConfigSchema.parse({ kind: 'portsip', baseUrl, domain: 'contoso.pbx', role: 'QueueManager' }),
  '3cx': (baseUrl) => PbxConfigSchema.parse({ kind: '3cx', baseUrl, clientId: '900' }),
};

/** A PBX of each kind that createPbxConnection can reach (3CX probes the PBX when it connects; PortSIP does not). */
const reachable: Record<PbxKind, () => Promise<{ config: PbxConfig; credential: typeof credential; stop: () => Promise<void> }>> = {
  portsip: async () => ({ config: configFor.portsip(OFFICIAL), credential, stop: async () => undefined }),
  '3cx': async () => {
    const pbx = await ThreeCxSandbox.start({ seed: 'empty' });
    const { clientId, clientSecret } = pbx.credentials;
    return {
      config: configFor['3cx'](pbx.baseUrl),
      credential: { username: clientId, password: clientSecret, origin: new URL(pbx.baseUrl).origin },
      stop: () => pbx.stop(),
    };
  },
};

let fake: FakePortSip | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('createPbxConnection', () => {
  it('has an adapter and a profile for every pbx.kind the tenant configuration accepts', async () => {
    const kinds = PbxConfigSchema.options.map((option) => option.shape.kind.value);
    expect(kinds.sort()).toEqual(Object.keys(configFor).sort());
    for (const kind of kinds) {
      const pbx = await reachable[kind]();
      try {
        const connection = await createPbxConnection(pbx.config, pbx.credential);
        expect(connection.profile.kind).toBe(kind);
        expect(typeof connection.users.listUsers).toBe('function');
      } finally {
        await pbx.stop();
      }
    }
  });

  it('gives PortSIP its profile, a PortSipClient, PortSipGroups and the company phonebook; the per-user ports only with kept portal passwords', async () => {
    const connection = await createPbxConnection(configFor.portsip('https://pbx.contoso.com:8887'), credential);
    expect(connection.profile).toBe(portSipProfile);
    expect(connection.users).toBeInstanceOf(PortSipClient);
    expect(connection.groups).toBeInstanceOf(PortSipGroups);
    expect(Object.keys(connection).sort()).toEqual(portSipConnectionPorts.plain);
    const withPasswords = await createPbxConnection(configFor.portsip('https://pbx.contoso.com:8887'), credential, {
      portalPasswords: new MemoryPortalPasswords(),
    });
    expect(Object.keys(withPasswords).sort()).toEqual(portSipConnectionPorts.withPortalPasswords);
  });

  it("wires the tenant's domain and role and the credential into the PortSIP adapter", async () => {
    fake = await startFakePortSip((r) => {
      if (r.path === '/tenant/password_policy') return { status: 200, body: {} };
      if (r.path === '/users' && r.method === 'POST') return { status: 201, body: { id: 'new-1' } };
      return undefined;
    });
    const seen: string[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(new URL(input).pathname);
      return fetch(input, init);
    };
    const { users } = await createPbxConnection(configFor.portsip(fake.baseUrl), credentialFor(fake.baseUrl), { fetch: recording });
    const created = await users.createUser({
      userName: 'kim',
      extensionNumber: '1001',
      displayName: 'Kim Lee',
      email: 'kim@contoso.com',
      mobilePhone: '',
      workPhone: '',
      department: '',
      enabled: true,
    });
    expect(created).toEqual({ id: 'new-1' });
    expect(fake.requests[0]).toMatchObject({ path: '/auth/sign_in', body: { ...admin, domain: 'contoso.pbx' } });
    expect(fake.apiRequests().at(-1)).toMatchObject({ method: 'POST', path: '/users', body: { role: 'QueueManager', name: 'kim' } });
    expect(users.requestCount()).toBe(3);
    expect(seen).toEqual(['/api/auth/sign_in', '/api/tenant/password_policy', '/api/users']);
  });

  it('refuses a credential written for another origin: NOT_READY, and not one request is sent', async () => {
    const sent: string[] = [];
    const recording: typeof fetch = (input) => {
      sent.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return Promise.reject(new Error('must not be called'));
    };
    for (const elsewhere of ['https://attacker.example:8887', 'https://pbx.contoso.com:9999', 'http://127.0.0.1:8887']) {
      const err = await appErrorOf(createPbxConnection(configFor.portsip(elsewhere), credential, { fetch: recording }));
      expect(err.code).toBe('NOT_READY');
      expect(err.message).toContain('the PBX URL changed');
      expect(err.message).not.toContain(admin.password);
      expect(err.message).not.toContain(admin.username);
    }
    expect(sent).toEqual([]);
  });

  it('refuses plain http to a host that is not this machine, even with a matching credential', async () => {
    const plain = { kind: 'portsip', baseUrl: 'http://pbx.contoso.com:8887', domain: 'contoso.pbx' } as unknown as PbxConfig;
    const err = await appErrorOf(createPbxConnection(plain, credentialFor('http://pbx.contoso.com:8887')));
    expect(err.code).toBe('NOT_READY');
    expect(err.message).toContain('https');
    expect(PbxConfigSchema.safeParse({ kind: 'portsip', baseUrl: 'http://pbx.contoso.com:8887', domain: 'd' }).success).toBe(false);
    expect(PbxConfigSchema.safeParse({ kind: 'portsip', baseUrl: 'http://127.0.0.1:8887', domain: 'd' }).success).toBe(true);
    expect(PbxConfigSchema.safeParse({ kind: 'portsip', baseUrl: 'http://localhost:8887', domain: 'd' }).success).toBe(true);
    expect(PbxConfigSchema.safeParse({ kind: 'portsip', baseUrl: 'https://u:p@pbx.contoso.com', domain: 'd' }).success).toBe(false);
  });

  it('refuses a kind it has no adapter for (a row from a newer build) with CONFIG', async () => {
    const fromNewerBuild = { kind: 'yeastar', baseUrl: 'https://pbx.contoso.com:8887' } as unknown as PbxConfig;
    const err = await appErrorOf(createPbxConnection(fromNewerBuild, credential));
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain('"yeastar"');
  });

  it('takes only the kinds the tenant configuration defines (checked by the compiler)', () => {
    const compileTimeOnly = () =>
      // @ts-expect-error -- 'yeastar' is not a pbx.kind yet: it needs a config schema member and a factory case first
      createPbxConnection({ kind: 'yeastar', baseUrl: 'https://pbx.contoso.com' }, credential);
    expect(compileTimeOnly).toBeTypeOf('function');
  });

  it('3CX: gives the probed profile and the users and phonebook ports; groups, personal contacts and presence are absent', async () => {
    const pbx = await ThreeCxSandbox.start({ seed: 'empty', extensionLength: 4 });
    try {
      const { clientId, clientSecret } = pbx.credentials;
      const connection = await createPbxConnection(configFor['3cx'](pbx.baseUrl), {
        username: clientId,
        password: clientSecret,
        origin: new URL(pbx.baseUrl).origin,
      });
      expect(connection.profile).toMatchObject({ kind: '3cx', splitNames: true, extensionNumbers: { minLength: 4, maxLength: 4 } });
      expect(connection.profile.supports).toMatchObject({ groups: false, personalContacts: false, presence: false, callEvents: false });
      expect(connection.companyContacts).toBeDefined();
      expect(connection.groups).toBeUndefined();
      expect(connection.personalContacts).toBeUndefined();
      expect(connection.presence).toBeUndefined();
    } finally {
      await pbx.stop();
    }
  });

  it('3CX: refuses a client secret written for another API client, and a PBX that is not ready, with NOT_READY', async () => {
    const pbx = await ThreeCxSandbox.start({ seed: 'empty' });
    try {
      const origin = new URL(pbx.baseUrl).origin;
      const other = await appErrorOf(
        createPbxConnection(configFor['3cx'](pbx.baseUrl), { username: '901', password: pbx.credentials.clientSecret, origin }),
      );
      expect(other.code).toBe('NOT_READY');
      expect(other.message).toContain('the 3CX API client id changed');
      expect(other.message).not.toContain(pbx.credentials.clientSecret);
      expect(pbx.stats.requests).toBe(0);
      pbx.setNativeM365Sync(true);
      const fighting = await appErrorOf(
        createPbxConnection(configFor['3cx'](pbx.baseUrl), { username: '900', password: pbx.credentials.clientSecret, origin }),
      );
      expect(fighting.code).toBe('NOT_READY');
      expect(fighting.message).toContain("3CX's own Microsoft 365 user sync is on");
    } finally {
      await pbx.stop();
    }
  });
});
