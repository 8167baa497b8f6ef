import type { Client } from '@microsoft/microsoft-graph-client';

/** A Microsoft Graph client for one tenant, with where it points and how many requests it has sent. */
export interface GraphConnection {
  client: Client;
  /** The Graph root without a version, e.g. https://graph.microsoft.com (token scope `${baseUrl}/.default`). */
  baseUrl: string;
  /** `${baseUrl}/v1.0`: the prefix of every link Graph returns (nextLink, deltaLink). */
  versionRoot: string;
  /** HTTP requests sent so far, retries included. */
  requestCount: () => number;
}
