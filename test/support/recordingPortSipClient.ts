import { PortSipClient, type PortSipClientOptions } from '../../shared/pbx/portsip/PortSipClient';
import { type PortSipSandbox } from '../../sandbox/portsip';

/** One request the client sent and the status it got back. */
export interface PortSipExchange {
  method: string;
  path: string;
  /** The JSON body sent, when there was one. */
  body: unknown;
  status: number;
}

/** A client for a sandbox PBX (signed in as its admin, unthrottled) whose fetch records every exchange. */
export function recordingPortSipClient(
  pbx: PortSipSandbox,
  options: Partial<PortSipClientOptions> = {},
): { client: PortSipClient; exchanges: PortSipExchange[] } {
  const exchanges: PortSipExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    exchanges.push({
      method: init?.method ?? 'GET',
      path: new URL(input).pathname,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      status: response.status,
    });
    return response;
  };
  const { username, password, domain } = pbx.credentials;
  const client = new PortSipClient({
    baseUrl: pbx.baseUrl,
    domain,
    username,
    password,
    role: 'StandardUser',
    rateLimitPerMinute: 600_000,
    maxConcurrency: 8,
    fetch: recordingFetch,
    ...options,
  });
  return { client, exchanges };
}
