import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { type GraphAuth, type TenantConfig } from '../config/TenantConfig';
import { AppError } from '../core/errors/AppError';
import { type GraphEndpoints, nationalCloudEndpoints } from './GraphEndpoints';

/** The tenant's microsoft365 section with an auth kind that signs in to Entra ID (not the sandbox). */
export type EntraAppConfig = TenantConfig['microsoft365'] & { auth: Exclude<GraphAuth, { kind: 'sandbox' }> };

/**
 * The app-only credential for a tenant's Entra app in its national cloud, from the secret material the caller
 * read (`secret`: the client secret, or a private key + certificate PEM for the certificate kinds). For
 * `sharedApp` the caller passes the shared app's client id as `applicationId`. A certificate that is not a PEM
 * with both a private key and a certificate is NOT_READY here, rather than an obscure failure at the first token.
 */
export async function createGraphCredential(
  microsoft365: EntraAppConfig,
  secret: string,
  endpoints: GraphEndpoints = nationalCloudEndpoints(microsoft365.nationalCloud),
): Promise<TokenCredential> {
  const { directoryId, applicationId, auth } = microsoft365;
  const options = {
    authorityHost: endpoints.authorityHost,
    // The stand-ins are not Microsoft hosts: instance discovery would ask login.microsoftonline.com about them.
    ...(endpoints.trustedCaPem ? { tlsOptions: { ca: endpoints.trustedCaPem }, disableInstanceDiscovery: true } : {}),
  };
  if (auth.kind === 'clientSecret') return new ClientSecretCredential(directoryId, applicationId, secret, options);
  return certificateCredential(directoryId, applicationId, secret, options);
}

function certificateCredential(
  directoryId: string,
  clientId: string,
  pem: string,
  options: ConstructorParameters<typeof ClientCertificateCredential>[3],
): TokenCredential {
  try {
    createPrivateKey(pem);
    new X509Certificate(pem);
  } catch {
    throw new AppError(
      'NOT_READY',
      'the Graph certificate must be a PEM holding the private key and the certificate (export it from Key Vault with its key)',
    );
  }
  return new ClientCertificateCredential(directoryId, clientId, { certificate: pem }, options);
}
