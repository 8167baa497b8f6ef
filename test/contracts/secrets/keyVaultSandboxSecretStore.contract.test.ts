import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe } from 'vitest';
import { KeyVaultSandbox } from '../../../sandbox/keyvault/KeyVaultSandbox';
import { KeyVaultSecretStore } from '../../../shared/platform/secrets/KeyVaultSecretStore';
import { type SecretInfo, type SecretStore, type SetSecretOptions } from '../../../shared/platform/secrets/SecretStore';
import { secretStoreContract } from './secretStoreContract';

/**
 * The contract's harness is built while tests are collected, before the sandbox can start (it is asynchronous):
 * this store stands in and passes every call to the KeyVaultSecretStore made in beforeAll.
 */
class StoreStartedLater implements SecretStore {
  target: SecretStore | undefined;

  private get store(): SecretStore {
    if (!this.target) throw new Error('the Key Vault sandbox has not started');
    return this.target;
  }

  getSecret(name: string): Promise<string> {
    return this.store.getSecret(name);
  }
  setSecret(name: string, value: string, options?: SetSecretOptions): Promise<void> {
    return this.store.setSecret(name, value, options);
  }
  deleteSecret(name: string): Promise<void> {
    return this.store.deleteSecret(name);
  }
  describeSecret(name: string): Promise<SecretInfo | undefined> {
    return this.store.describeSecret(name);
  }
  getCertificatePem(name: string): Promise<string> {
    return this.store.getCertificatePem(name);
  }
}

// KeyVaultSecretStore through the real SecretClient against the local Key Vault stand-in, so the contract (soft
// delete on rewrite, 400s for bad names and large values, expiresOn) runs on every test run, not only with Azure.
describe('SecretStore contract: KeyVaultSecretStore (real SDK, Key Vault sandbox)', () => {
  const store = new StoreStartedLater();
  let sandbox: KeyVaultSandbox | undefined;
  let secrets: SecretClient;

  beforeAll(async () => {
    sandbox = await KeyVaultSandbox.start();
    secrets = new SecretClient(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
    store.target = new KeyVaultSecretStore(sandbox.vaultUrl, sandbox.credential, sandbox.clientOptions);
  });
  afterAll(() => sandbox?.stop());

  secretStoreContract(() => ({
    store,
    uncheckable: {},
    // Key Vault's updatedOn has whole seconds; so has the sandbox's.
    updatedOnResolutionMs: 1000,
    // The sandbox has no certificate import: the PEM goes in as a secret with the PEM content type, which is
    // what the store reads from a certificate's backing secret.
    putCertificate: async (name, pem) => {
      await secrets.setSecret(name, pem, { contentType: 'application/x-pem-file' });
    },
    // Everything lives in the sandbox's memory and goes with it.
    cleanUp: async () => undefined,
  }));
});
