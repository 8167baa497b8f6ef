import { describe, expect, it } from 'vitest';
import { isInAllowedGroup, parseAppServicePrincipal } from '../../../shared/console/appServicePrincipal';
import { consoleSettingsFromEnv } from '../../../shared/console/consoleSettings';

const GROUP = '7a1c2b3d-0000-4000-8000-00000000abcd';
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const principal = (claims: { typ: string; val: string }[], extra: Record<string, unknown> = {}) =>
  encode({ auth_typ: 'aad', name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', role_typ: 'roles', claims, ...extra });

describe('parseAppServicePrincipal (x-ms-client-principal)', () => {
  it('reads the name (per name_typ), the object id and the groups claims', () => {
    const header = principal([
      { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', val: 'ada@contoso.com' },
      { typ: 'name', val: 'Ada Lovelace' },
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' },
      { typ: 'groups', val: GROUP },
      { typ: 'groups', val: 'other-group' },
    ]);
    expect(parseAppServicePrincipal(header)).toEqual({ name: 'ada@contoso.com', id: 'oid-1', groups: [GROUP, 'other-group'] });
  });

  it('falls back to the name or preferred_username claim, and the name as the id', () => {
    expect(parseAppServicePrincipal(encode({ claims: [{ typ: 'preferred_username', val: 'bob@contoso.com' }] }))).toEqual({
      name: 'bob@contoso.com',
      id: 'bob@contoso.com',
      groups: [],
    });
  });

  it('is undefined for a missing header, not base64 JSON, no claims, or nobody named', () => {
    expect(parseAppServicePrincipal(undefined)).toBeUndefined();
    expect(parseAppServicePrincipal('%%%not base64')).toBeUndefined();
    expect(parseAppServicePrincipal(encode('a string'))).toBeUndefined();
    expect(parseAppServicePrincipal(encode({ claims: 'nope' }))).toBeUndefined();
    expect(parseAppServicePrincipal(principal([{ typ: 'groups', val: GROUP }]))).toBeUndefined();
  });
});

describe('isInAllowedGroup (CONSOLE_ALLOWED_GROUP)', () => {
  const ada = { name: 'ada', id: 'ada', groups: [GROUP] };
  it('lets every principal in without a group, and only members with one (ids compared without case)', () => {
    expect(isInAllowedGroup(ada, undefined)).toBe(true);
    expect(isInAllowedGroup(ada, GROUP.toUpperCase())).toBe(true);
    expect(isInAllowedGroup({ ...ada, groups: [] }, GROUP)).toBe(false);
  });
});

describe('consoleSettingsFromEnv', () => {
  it('opens the console only with CONSOLE_AUTH=appService, with the allowed group', () => {
    expect(consoleSettingsFromEnv({}).signIn).toEqual({ kind: 'none' });
    expect(consoleSettingsFromEnv({ CONSOLE_AUTH: 'appService', CONSOLE_ALLOWED_GROUP: GROUP }).signIn).toEqual({
      kind: 'appService',
      allowedGroup: GROUP,
    });
    expect(() => consoleSettingsFromEnv({ CONSOLE_AUTH: 'key' })).toThrow(/CONSOLE_AUTH/);
  });

  it('signs with CONSOLE_SESSION_KEY when set (32+ characters), else with one key per process', () => {
    const set = consoleSettingsFromEnv({ CONSOLE_SESSION_KEY: 'k'.repeat(32) });
    expect(set).toMatchObject({ sessionKeySource: 'setting', sessionKey: Buffer.from('k'.repeat(32)) });
    expect(() => consoleSettingsFromEnv({ CONSOLE_SESSION_KEY: 'short' })).toThrow(/at least 32/);
    expect(consoleSettingsFromEnv({}).sessionKey).toBe(consoleSettingsFromEnv({}).sessionKey);
    expect(consoleSettingsFromEnv({}).sessionKeySource).toBe('process');
  });
});
