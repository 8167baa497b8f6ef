import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalKeyWrapper } from '../../../../shared/platform/keys/LocalKeyWrapper';
import { localKeysFile } from '../../../../shared/platform/keys/localKeysFile';
import { refusal } from '../../../support/refusal';

const folders: string[] = [];
function keyFile(): string {
  const folder = mkdtempSync(nodePath.join(tmpdir(), 'local-keys-'));
  folders.push(folder);
  return nodePath.join(folder, 'secrets.keys.json');
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('LocalKeyWrapper', () => {
  it('needs ensureKey before it wraps, then wraps and unwraps a data key', async () => {
    const wrapper = new LocalKeyWrapper(keyFile(), 'portal-passwords');
    await refusal(wrapper.wrap(randomBytes(32)), 'NOT_FOUND');
    await refusal(wrapper.currentKeyId(), 'NOT_FOUND');
    const keyId = await wrapper.ensureKey();
    expect(await wrapper.ensureKey()).toBe(keyId);
    expect(await wrapper.currentKeyId()).toBe(keyId);
    const dataKey = randomBytes(32);
    const wrapped = await wrapper.wrap(dataKey);
    expect(wrapped.keyId).toBe(keyId);
    expect(Buffer.from(wrapped.wrappedKey, 'base64url')).toHaveLength(256);
    expect((await wrapper.unwrap(wrapped.wrappedKey, wrapped.keyId)).equals(dataKey)).toBe(true);
  });

  it('keeps its keys in an owner-only file', async () => {
    const file = keyFile();
    await new LocalKeyWrapper(file, 'portal-passwords').ensureKey();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('after rotate() wraps with the new version and still unwraps what the old one wrapped', async () => {
    const file = keyFile();
    const wrapper = new LocalKeyWrapper(file, 'portal-passwords');
    const v1 = await wrapper.ensureKey();
    const dataKey = randomBytes(32);
    const underV1 = await wrapper.wrap(dataKey);
    const v2 = await wrapper.rotate();
    expect(v2).not.toBe(v1);
    expect(await wrapper.currentKeyId()).toBe(v2);
    const underV2 = await wrapper.wrap(dataKey);
    expect(underV2.keyId).toBe(v2);
    // A second wrapper on the same file (another process) sees both versions.
    const other = new LocalKeyWrapper(file, 'portal-passwords');
    expect((await other.unwrap(underV1.wrappedKey, v1)).equals(dataKey)).toBe(true);
    expect((await other.unwrap(underV2.wrappedKey, v2)).equals(dataKey)).toBe(true);
    // The version matters: v2 cannot unwrap what v1 wrapped.
    await refusal(other.unwrap(underV1.wrappedKey, v2), 'CONFIG');
  });

  it('refuses key ids of another key, of Key Vault, or of a version it does not have', async () => {
    const wrapper = new LocalKeyWrapper(keyFile(), 'portal-passwords');
    const wrapped = await wrapper.wrap(randomBytes(32)).catch(async () => {
      await wrapper.ensureKey();
      return wrapper.wrap(randomBytes(32));
    });
    await refusal(wrapper.unwrap(wrapped.wrappedKey, wrapped.keyId.replace('portal-passwords', 'other-key')), 'INTERNAL');
    await refusal(wrapper.unwrap(wrapped.wrappedKey, 'https://vault.example/keys/portal-passwords/0123'), 'INTERNAL');
    await refusal(wrapper.unwrap(wrapped.wrappedKey, `local-key:portal-passwords/${'0'.repeat(32)}`), 'NOT_FOUND');
  });

  it('refuses a broken file without quoting it', async () => {
    const file = keyFile();
    writeFileSync(file, '{"keys": "-----BEGIN PRIVATE KEY----- MIIEvQ-marker"}', { mode: 0o600 });
    const err = await refusal(new LocalKeyWrapper(file, 'portal-passwords').ensureKey(), 'CONFIG');
    expect(err.message).not.toContain('MIIEvQ-marker');
  });

  it('lives beside the local secret file', () => {
    expect(localKeysFile('/x/.local/secrets.json')).toBe('/x/.local/secrets.keys.json');
  });
});
