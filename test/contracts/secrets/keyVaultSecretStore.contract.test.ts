import { createPrivateKey } from 'node:crypto';
import { DefaultAzureCredential } from '@azure/identity';
import { CertificateClient, type ImportCertificatePolicy } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { KeyVaultSecretStore } from '../../../shared/platform/secrets/KeyVaultSecretStore';
import { describeWithAzure } from '../azureTestResources';
import { secretStoreContract } from './secretStoreContract';

describeWithAzure('SecretStore contract: KeyVaultSecretStore', 'keyVaultUri', (vaultUri) => {
  secretStoreContract(() => {
    const credential = new DefaultAzureCredential();
    const secrets = new SecretClient(vaultUri, credential);
    const certificates = new CertificateClient(vaultUri, credential);
    return {
      store: new KeyVaultSecretStore(vaultUri, credential),
      uncheckable: {},
      // Key Vault's updatedOn has whole seconds.
      updatedOnResolutionMs: 1000,
      // In Azure the certificate is imported as a Key Vault certificate; the store reads its backing secret.
      putCertificate: async (name, pem) => {
        await certificates.importCertificate(name, Buffer.from(pem), { policy: importPolicyFor(pem) });
      },
      // Delete, then purge where the identity may (purge protection or a role without purge leaves it soft-deleted;
      // the next run uses other names, so it cannot interfere).
      cleanUp: async (written) => {
        await Promise.all([
          ...written.secrets.map(async (name) => {
            await ignoring([404], async () => (await secrets.beginDeleteSecret(name)).pollUntilDone());
            await ignoring([403, 404, 409], () => secrets.purgeDeletedSecret(name));
          }),
          ...written.certificates.map(async (name) => {
            await ignoring([404], async () => (await certificates.beginDeleteCertificate(name)).pollUntilDone());
            await ignoring([403, 404, 409], () => certificates.purgeDeletedCertificate(name));
          }),
        ]);
      },
    };
  });
});

/** PEM content type (so the backing secret holds PEM text), with the key type of the key being imported. */
function importPolicyFor(pem: string): ImportCertificatePolicy {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ec') return { contentType: 'application/x-pem-file', exportable: true, keyType: 'RSA' };
  const curves: Record<string, 'P-256' | 'P-384' | 'P-521'> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return {
    contentType: 'application/x-pem-file',
    exportable: true,
    keyType: 'EC',
    ...(curve && curves[curve] ? { keyCurveName: curves[curve] } : {}),
  };
}

/** Runs a cleanup step, letting the statuses that mean "nothing to do" or "not permitted here" pass. */
async function ignoring(statuses: number[], step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status !== 'number' || !statuses.includes(status)) throw err;
  }
}
