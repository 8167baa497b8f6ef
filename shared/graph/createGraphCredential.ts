import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { type GraphAuth, type TenantConfig } from '../config/TenantConfig';
import { cloudEndpoints } from '../config/nationalClouds';
import { AppError } from '../core/errors/AppError';

/** The tenant's microsoft365 section with an auth kind that signs in to Entra ID (not the sandbox). */
type EntraAppConfig = TenantConfig['microsoft365'] & { auth: Exclude<GraphAuth, { kind: 'sandbox' }> };

/**
 * The app-only credential for a tenant's Entra app in its national cloud, from the secret material the caller
 * read from the tenant's own secrets (`secret`: the client secret, or the certificate PEM). A certificate that
 * is not a PEM with both a private key and a certificate is NOT_READY here, rather than an obscure failure at
 * the first token request.
 */
export async function createGraphCredential(microsoft365: EntraAppConfig, secret: string): Promise<TokenCredential> {
  const { directoryId, applicationId, auth } = microsoft365;
  const { authorityHost } = cloudEndpoints[microsoft365.nationalCloud];
  if (auth.kind === 'clientSecret') {
    return new ClientSecretCredential(directoryId, applicationId, secret, { authorityHost });
  }
  const pem = secret;
  try {
    createPrivateKey(pem);
    new X509Certificate(pem);
  } catch {
    throw new AppError(
      'NOT_READY',
      'the Graph certificate must be a PEM holding the private key and the certificate ' + '(export it from Key Vault with its key)',
    );
  }
  return new ClientCertificateCredential(directoryId, applicationId, { certificate: pem }, { authorityHost });
}
