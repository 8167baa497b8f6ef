import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { LocalSecretStore } from '../../../shared/platform/secrets/LocalSecretStore';
import { secretStoreContract } from './secretStoreContract';

describe('SecretStore contract: LocalSecretStore', () => {
  secretStoreContract(() => {
    // A path only: the store creates its folder on the first write, so collecting the tests writes nothing.
    const folder = join(tmpdir(), `secret-store-contract-${randomBytes(6).toString('hex')}`);
    const store = new LocalSecretStore(join(folder, 'secrets.json'));
    const noTimes = 'the local secret file keeps no write times (SecretInfo.updatedOn is given "where the store knows it")';
    return {
      store,
      uncheckable: { updatedOnAtWrite: noTimes, updatedOnMovesForward: noTimes },
      updatedOnResolutionMs: 0,
      // Local runs are given a certificate as its PEM text under its name (PUT …/secrets/graph or the file itself).
      putCertificate: (name, pem) => store.setSecret(name, pem),
      cleanUp: async () => rmSync(folder, { recursive: true, force: true }),
    };
  });
});
