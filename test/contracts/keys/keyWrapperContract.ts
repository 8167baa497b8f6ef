import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type KeyWrapper } from '../../../shared/platform/keys/KeyWrapper';
import { refusal } from '../../support/refusal';

export interface KeyWrapperHarness {
  /** A wrapper over a key of its own that does not exist yet. */
  freshWrapper(): Promise<KeyWrapper>;
  /** Adds a version to the wrapper's key, as a rotation in Key Vault does; answers the new key id. */
  rotate(wrapper: KeyWrapper): Promise<string>;
}

/** What the data-key envelope relies on from any KeyWrapper (Key Vault, local file). */
export function keyWrapperContract(harness: () => KeyWrapperHarness): void {
  describe('KeyWrapper contract', () => {
    it('has no current key until ensureKey creates one; ensureKey is idempotent', async () => {
      const wrapper = await harness().freshWrapper();
      await refusal(wrapper.currentKeyId(), 'NOT_FOUND');
      const keyId = await wrapper.ensureKey();
      expect(await wrapper.ensureKey()).toBe(keyId);
      expect(await wrapper.currentKeyId()).toBe(keyId);
    });

    it('wraps with the current version and unwraps to the same bytes', async () => {
      const wrapper = await harness().freshWrapper();
      const keyId = await wrapper.ensureKey();
      const dataKey = randomBytes(32);
      const wrapped = await wrapper.wrap(dataKey);
      expect(wrapped.keyId).toBe(keyId);
      expect(wrapped.wrappedKey).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(wrapped.wrappedKey, 'base64url').equals(dataKey)).toBe(false);
      expect((await wrapper.unwrap(wrapped.wrappedKey, wrapped.keyId)).equals(dataKey)).toBe(true);
    });

    it('after a rotation wraps with the new version and still unwraps with the old one', async () => {
      const h = harness();
      const wrapper = await h.freshWrapper();
      const v1 = await wrapper.ensureKey();
      const dataKey = randomBytes(32);
      const underV1 = await wrapper.wrap(dataKey);
      const v2 = await h.rotate(wrapper);
      expect(v2).not.toBe(v1);
      expect(await wrapper.currentKeyId()).toBe(v2);
      const underV2 = await wrapper.wrap(dataKey);
      expect(underV2.keyId).toBe(v2);
      expect((await wrapper.unwrap(underV1.wrappedKey, v1)).equals(dataKey)).toBe(true);
      expect((await wrapper.unwrap(underV2.wrappedKey, v2)).equals(dataKey)).toBe(true);
    });

    it('refuses to unwrap under a key id of another key (INTERNAL), and a value its version did not wrap (CONFIG)', async () => {
      const wrapper = await harness().freshWrapper();
      const keyId = await wrapper.ensureKey();
      const wrapped = await wrapper.wrap(randomBytes(32));
      // Both kinds of key id end in `<name>/<version>`.
      const name = /([^/:]+)\/[0-9a-f]{32}$/.exec(keyId)![1]!;
      await refusal(wrapper.unwrap(wrapped.wrappedKey, keyId.replace(`${name}/`, 'another-key/')), 'INTERNAL');
      await refusal(wrapper.unwrap(randomBytes(256).toString('base64url'), keyId), 'CONFIG');
    });
  });
}
