import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { afterAll, describe } from 'vitest';
import { LocalKeyWrapper } from '../../../shared/platform/keys/LocalKeyWrapper';
import { keyWrapperContract } from './keyWrapperContract';

describe('KeyWrapper contract: LocalKeyWrapper (owner-only key file)', () => {
  const folder = mkdtempSync(nodePath.join(tmpdir(), 'key-wrapper-contract-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  let n = 0;

  keyWrapperContract(() => ({
    freshWrapper: async () => new LocalKeyWrapper(nodePath.join(folder, `keys-${n++}.json`), 'portal-passwords'),
    rotate: (wrapper) => (wrapper as LocalKeyWrapper).rotate(),
  }));
});
