import {
  type AuthenticationProvider,
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { type TenantConfig } from '../config/TenantConfig';
import { type GraphEndpoints, nationalCloudEndpoints } from './GraphEndpoints';
import { BearerTokenMiddleware } from './BearerTokenMiddleware';
import { type GraphConnection } from './GraphConnection';
import { RequestCountingMiddleware } from './RequestCountingMiddleware';
import { createGraphCredential } from './createGraphCredential';

const GRAPH_VERSION = 'v1.0';
/** Seconds before the first retry when Graph sends no Retry-After (the SDK then backs off exponentially). */
const FIRST_RETRY_DELAY_SECONDS = 1;

/**
 * A Graph client for one tenant and national cloud (or the loopback sandbox, which is addressed the same
 * way: root URL + /v1.0). Middleware chain: bearer token → the SDK's RetryHandler → request counter → fetch.
 *
 * RetryHandler (SDK 3.0.7) retries 429, 503 and 504 for GETs, waiting exactly Retry-After (seconds or an
 * HTTP date, capped at 180 s) and backing off exponentially when there is none; it allows at most 10
 * retries. It does not retry network errors or other 5xx: those surface as TRANSIENT and the job is retried.
 */
export async function createGraphClient(options: {
  microsoft365: TenantConfig['microsoft365'];
  /**
   * The tenant's Graph secret for its auth kind, as the caller read it from the tenant's own secrets: the
   * client secret, the certificate PEM (private key + certificate) or the sandbox token.
   */
  credentialSecret: string;
  maxRetries?: number;
  /** Default: the tenant's national cloud (tests: the local stand-ins). */
  endpoints?: GraphEndpoints;
}): Promise<GraphConnection> {
  const { microsoft365 } = options;
  const auth = microsoft365.auth;
  let baseUrl: string;
  let provider: AuthenticationProvider;
  if (auth.kind === 'sandbox') {
    baseUrl = auth.graphBaseUrl;
    const token = options.credentialSecret;
    provider = { getAccessToken: async () => token };
  } else {
    const endpoints = options.endpoints ?? nationalCloudEndpoints(microsoft365.nationalCloud);
    baseUrl = endpoints.graphBaseUrl;
    const credential = await createGraphCredential({ ...microsoft365, auth }, options.credentialSecret, endpoints);
    provider = new TokenCredentialAuthenticationProvider(credential, { scopes: [`${baseUrl}/.default`] });
  }
  const maxRetries = Math.max(0, Math.min(10, Math.floor(options.maxRetries ?? 6)));
  const bearer = new BearerTokenMiddleware(provider, baseUrl);
  const retry = new RetryHandler(new RetryHandlerOptions(FIRST_RETRY_DELAY_SECONDS, maxRetries));
  const counter = new RequestCountingMiddleware();
  bearer.setNext(retry);
  retry.setNext(counter);
  counter.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({ middleware: bearer, baseUrl, defaultVersion: GRAPH_VERSION });
  return { client, baseUrl, versionRoot: `${baseUrl}/${GRAPH_VERSION}`, requestCount: () => counter.count };
}
