import { type NationalCloud } from '../config/nationalClouds';
import { isAppError } from '../core/errors/AppError';
import { type CertificateSignIn } from '../credentials/rollCertificate';
import { GraphApplicationKeys } from '../graph/GraphApplicationKeys';
import { type GraphEndpointsFor } from '../graph/GraphEndpoints';
import { createGraphClient } from '../graph/createGraphClient';
import { createGraphCredential } from '../graph/createGraphCredential';
import { credentialErrorFor } from '../graph/credentialErrorFor';

/** The app a certificate belongs to, and the directory the rollover signs in to (the app's home for the shared app). */
export interface CertificateApp {
  directoryId: string;
  clientId: string;
  nationalCloud: NationalCloud;
}

/**
 * Entra's answers that mean "this key is not (yet) one of the app's": the assertion's key is unknown or
 * expired (700027), or the key was registered moments ago and has not replicated. Anything else is a real
 * failure (wrong app, directory, network) and is thrown.
 */
const NOT_REGISTERED_CODES = new Set(['AADSTS700027', 'AADSTS700024', 'AADSTS7000274']);

/** Signs in with one certificate version (private key + certificate PEM) for the rollover: Graph's app keys and a token probe. */
export function certificateSignInFor(graphEndpoints: GraphEndpointsFor, app: CertificateApp) {
  const endpoints = graphEndpoints(app.nationalCloud);
  const microsoft365 = {
    directoryId: app.directoryId,
    applicationId: app.clientId,
    nationalCloud: app.nationalCloud,
    auth: { kind: 'managedCertificate' as const },
  };
  return async (pem: string): Promise<CertificateSignIn> => {
    const graph = await createGraphClient({ microsoft365, credentialSecret: pem, endpoints, maxRetries: 3 });
    return {
      applicationKeys: new GraphApplicationKeys(graph.client),
      probe: async () => {
        // A credential of its own: nothing cached from an earlier version can answer for this one.
        const credential = await createGraphCredential(microsoft365, pem, endpoints);
        try {
          await credential.getToken(`${endpoints.graphBaseUrl}/.default`);
          return 'accepted';
        } catch (err) {
          const mapped = credentialErrorFor(err);
          if (isAppError(mapped, 'UNAUTHORIZED') && NOT_REGISTERED_CODES.has(mapped.upstreamCode ?? '')) return 'refused';
          throw mapped;
        }
      },
    };
  };
}
