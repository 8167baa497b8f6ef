import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localAdminKey } from '../../../shared/platform/local/localAdminKey';

const dir = () => mkdtempSync(join(tmpdir(), 'admin-key-'));

describe('localAdminKey', () => {
  it('generates a random key at first start (mode 0600) and reads the same key afterwards', () => {
    const localDir = dir();
    const first = localAdminKey({}, localDir);
    if (first.off) throw new Error('expected a key');
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(localDir, 'admin-key')).mode & 0o777).toBe(0o600);
    const second = localAdminKey({ LOCAL_ADMIN_KEY: '' }, localDir);
    expect(second).toEqual({ ...first, created: false });
    expect(localAdminKey({}, dir())).not.toEqual(first);
  });

  it('is off only when LOCAL_ADMIN_KEY=off; another value is refused', () => {
    expect(localAdminKey({ LOCAL_ADMIN_KEY: 'off' }, dir())).toEqual({ off: true });
    expect(() => localAdminKey({ LOCAL_ADMIN_KEY: 'no' }, dir())).toThrow(/LOCAL_ADMIN_KEY must be "off" or unset/);
  });

  it('tightens a key file others can read, and refuses a file that holds no key', () => {
    const localDir = dir();
    const file = join(localDir, 'admin-key');
    writeFileSync(file, `${'k'.repeat(40)}\n`);
    chmodSync(file, 0o644);
    expect(localAdminKey({}, localDir)).toMatchObject({ key: 'k'.repeat(40), created: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'short');
    expect(() => localAdminKey({}, localDir)).toThrow(/does not hold an admin key/);
    expect(readFileSync(file, 'utf8')).toBe('short');
  });
});
