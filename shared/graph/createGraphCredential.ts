import { ClientCertificateCredential, ClientSecretCredential, TokenCredential } from '@azure/identity';
import { TenantConfig } from '../config/TenantConfig';
import { cloudEndpoints } from '../config/nationalClouds';
import { SecretStore } from '../secrets/SecretStore';

/** The app-only credential for a tenant's Entra app, with the secret material read from Key Vault. */
export async function createGraphCredential(microsoft365: TenantConfig['microsoft365'], secrets: SecretStore): Promise<TokenCredential | undefined> {
  const { authorityHost } = cloudEndpoints[microsoft365.nationalCloud];
  const auth = microsoft365.auth;
  switch (auth.kind) {
    case 'certificate':
      return new ClientCertificateCredential(microsoft365.directoryId, microsoft365.applicationId, { certificate: await secrets.getCertificatePem(auth.certificateName) }, { authorityHost });
    case 'clientSecret':
      return new ClientSecretCredential(microsoft365.directoryId, microsoft365.applicationId, await secrets.getSecret(auth.secretName), { authorityHost });
    case 'sandbox':
      return undefined;
  }
}
