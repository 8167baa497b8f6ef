import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultSandbox } from '../../../sandbox/keyvault/KeyVaultSandbox';
import { KeyVaultKeyWrapper } from '../../../shared/platform/keys/KeyVaultKeyWrapper';
import { refusal } from '../../support/refusal';
import { keyWrapperContract } from './keyWrapperContract';

// KeyVaultKeyWrapper through the real KeyClient and CryptographyClient against the HTTPS Key Vault stand-in.
describe('KeyWrapper contract: KeyVaultKeyWrapper (real SDK, Key Vault sandbox)', () => {
  let sandbox: KeyVaultSandbox | undefined;
  let n = 0;
  beforeAll(async () => {
    sandbox = await KeyVaultSandbox.start();
  });
  afterAll(() => sandbox?.stop());

  const wrapperFor = (name: string) =>
    new KeyVaultKeyWrapper(sandbox!.vaultUrl, sandbox!.credential, name, sandbox!.clientOptions, { keySize: 2048 });
  const keyNameOf = (wrapper: KeyVaultKeyWrapper) => (wrapper as unknown as { keyName: string }).keyName;

  keyWrapperContract(() => ({
    freshWrapper: async () => wrapperFor(`portal-passwords-${n++}`),
    rotate: (wrapper) => sandbox!.rotateKeyNow(keyNameOf(wrapper as KeyVaultKeyWrapper)),
  }));

  it('creates the key as RSA with wrapKey and unwrapKey only', async () => {
    const wrapper = new KeyVaultKeyWrapper(sandbox!.vaultUrl, sandbox!.credential, 'made-by-ensure', sandbox!.clientOptions);
    await wrapper.ensureKey();
    const created = sandbox!.requests.find((r) => r.method === 'POST' && r.path === '/keys/made-by-ensure/create');
    expect(created?.status).toBe(200);
    const keyId = await wrapper.currentKeyId();
    expect(keyId).toMatch(new RegExp(`^${sandbox!.vaultUrl}/keys/made-by-ensure/[0-9a-f]{32}$`));
  });

  it('reads each version once: later wraps and unwraps are one Key Vault call each', async () => {
    const wrapper = wrapperFor('counted');
    await wrapper.ensureKey();
    const wrapped = await wrapper.wrap(randomBytes(32));
    await wrapper.unwrap(wrapped.wrappedKey, wrapped.keyId);
    const start = sandbox!.requests.length;
    await wrapper.unwrap(wrapped.wrappedKey, wrapped.keyId);
    await wrapper.wrap(randomBytes(32));
    const paths = sandbox!.requests.slice(start).map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/g, '{v}')}`);
    expect(paths).toEqual(['POST /keys/counted/{v}/unwrapkey', 'POST /keys/counted/{v}/wrapkey']);
  });

  it('refuses a vault URL that is not https, and an invalid key name, as CONFIG', () => {
    for (const [url, name] of [
      ['http://127.0.0.1:1', 'k'],
      ['not a url', 'k'],
      ['https://vault.example', 'bad/name'],
    ] as const)
      expect(() => new KeyVaultKeyWrapper(url, sandbox!.credential, name)).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });

  it('refuses a key id of another vault without calling it', async () => {
    const wrapper = wrapperFor('foreign');
    const keyId = await wrapper.ensureKey();
    const wrapped = await wrapper.wrap(randomBytes(32));
    const foreign = keyId.replace(sandbox!.vaultUrl, 'https://attacker.example');
    const err = await refusal(wrapper.unwrap(wrapped.wrappedKey, foreign), 'INTERNAL');
    expect(err.message).toContain('not a version of key foreign');
    await refusal(wrapper.unwrap(wrapped.wrappedKey, 'not a url'), 'INTERNAL');
  });

  it('maps Key Vault failures: a disabled version → CONFIG naming the role, lasting 503s → TRANSIENT', async () => {
    const wrapper = wrapperFor('failing');
    const keyId = await wrapper.ensureKey();
    const wrapped = await wrapper.wrap(randomBytes(32));
    sandbox!.faults.failNext(10, 503);
    await refusal(wrapper.unwrap(wrapped.wrappedKey, keyId), 'TRANSIENT');
    sandbox!.faults.clear();
    sandbox!.disableKeyVersion('failing', keyId.split('/').at(-1)!);
    const fresh = wrapperFor('failing');
    const denied = await refusal(fresh.unwrap(wrapped.wrappedKey, keyId), 'CONFIG');
    expect(denied.message).toContain('Crypto User');
  });
});
