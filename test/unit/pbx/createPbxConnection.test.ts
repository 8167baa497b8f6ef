import { afterEach, describe, expect, it } from 'vitest';
import { type PbxConfig, PbxConfigSchema } from '../../../shared/config/TenantConfig';
import { createPbxConnection } from '../../../shared/pbx/createPbxConnection';
import { type PbxKind } from '../../../shared/pbx/ports/PbxProfile';
import { PortSipClient } from '../../../shared/pbx/portsip/PortSipClient';
import { portSipProfile } from '../../../shared/pbx/portsip/portSipProfile';
import { appErrorOf } from '../../support/appErrorOf';
import { type FakePortSip, startFakePortSip } from './fakePortSipServer';

const credential = { username: 'syncadmin', password: 'Admin!Pass#1' };

// A Record over every kind: a new kind in the tenant configuration does not compile until it has a config here.
const configFor: Record<PbxKind, (baseUrl: string) => PbxConfig> = {
  portsip: (baseUrl) =>
    PbxConfigSchema.parse({ kind: 'portsip', baseUrl, domain: 'contoso.pbx', credentialSecretName: 'pbx-admin', role: 'QueueManager' }),
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
      const connection = await createPbxConnection(configFor[kind]('https://pbx.contoso.com:8887'), credential);
      expect(connection.profile.kind).toBe(kind);
      expect(typeof connection.users.listUsers).toBe('function');
    }
  });

  it('gives PortSIP its profile and a PortSipClient; the future ports are absent until implemented', async () => {
    const connection = await createPbxConnection(configFor.portsip('https://pbx.contoso.com:8887'), credential);
    expect(connection.profile).toBe(portSipProfile);
    expect(connection.users).toBeInstanceOf(PortSipClient);
    expect(Object.keys(connection).sort()).toEqual(['profile', 'users']);
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
    const { users } = await createPbxConnection(configFor.portsip(fake.baseUrl), credential, { fetch: recording });
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
    expect(fake.requests[0]).toMatchObject({ path: '/auth/sign_in', body: { ...credential, domain: 'contoso.pbx' } });
    expect(fake.apiRequests().at(-1)).toMatchObject({ method: 'POST', path: '/users', body: { role: 'QueueManager', name: 'kim' } });
    expect(users.requestCount()).toBe(3);
    expect(seen).toEqual(['/api/auth/sign_in', '/api/tenant/password_policy', '/api/users']);
  });

  it('refuses a kind it has no adapter for (a row from a newer build) with CONFIG', async () => {
    const fromNewerBuild = { kind: '3cx', baseUrl: 'https://pbx.contoso.com' } as unknown as PbxConfig;
    const err = await appErrorOf(createPbxConnection(fromNewerBuild, credential));
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain('"3cx"');
  });

  it('takes only the kinds the tenant configuration defines (checked by the compiler)', () => {
    const compileTimeOnly = () =>
      // @ts-expect-error -- '3cx' is not a pbx.kind yet: it needs a config schema member and a factory case first
      createPbxConnection({ kind: '3cx', baseUrl: 'https://pbx.contoso.com' }, credential);
    expect(compileTimeOnly).toBeTypeOf('function');
  });
});
