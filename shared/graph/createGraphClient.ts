import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { TenantConfig } from '../config/TenantConfig';
import { cloudEndpoints } from '../config/nationalClouds';
import { SecretStore } from '../secrets/SecretStore';
import { createGraphCredential } from './createGraphCredential';
import { BearerTokenMiddleware, RequestCountingMiddleware } from './graphMiddleware';

export interface GraphConnection {
  client: Client;
  /** The Graph root including the version, e.g. https://graph.microsoft.com/v1.0 */
  versionRoot: string;
  requestCount(): number;
}

/**
 * A Graph client for one tenant and national cloud: app-only token, the SDK's RetryHandler (429/503/504,
 * honouring Retry-After, exponential otherwise) and a request counter.
 */
export async function createGraphClient(options: { microsoft365: TenantConfig['microsoft365']; secrets: SecretStore; maxRetries?: number }): Promise<GraphConnection> {
  const { microsoft365 } = options;
  const root = microsoft365.auth.kind === 'sandbox' ? microsoft365.auth.graphBaseUrl : cloudEndpoints[microsoft365.nationalCloud].graphBaseUrl;
  let provider: AuthenticationProvider;
  if (microsoft365.auth.kind === 'sandbox') {
    const token = microsoft365.auth.token;
    provider = { getAccessToken: async () => token };
  } else {
    const credential = (await createGraphCredential(microsoft365, options.secrets))!;
    provider = new TokenCredentialAuthenticationProvider(credential, { scopes: [`${root}/.default`] });
  }
  const auth = new BearerTokenMiddleware(provider);
  const retry = new RetryHandler(new RetryHandlerOptions(1, Math.min(options.maxRetries ?? 6, 10)));
  const counter = new RequestCountingMiddleware();
  auth.setNext(retry);
  retry.setNext(counter);
  counter.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({ middleware: auth, baseUrl: root, defaultVersion: 'v1.0' });
  return { client, versionRoot: `${root}/v1.0`, requestCount: () => counter.count };
}
