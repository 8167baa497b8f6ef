import { type EntraSandbox } from '../entra/EntraSandbox';

/**
 * Who called Graph: the fixed sandbox token (an operator's tool), or an application signed in through Entra in
 * some directory. Graph is one service for every directory; which data a caller may reach is the routes' call.
 */
export type GraphCaller = { kind: 'sandboxToken' } | { kind: 'application'; appId: string; directoryId: string };

/** The identifiers a token for Microsoft Graph may name as its resource. */
const GRAPH_RESOURCES = new Set(['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000']);

/**
 * The caller behind an Authorization header, or undefined (401). An Entra-issued token counts only when it was
 * issued for Graph: a token for another resource is refused, as real Graph refuses a token whose aud is not its own.
 */
export function graphCallerOf(
  authorization: string | undefined,
  fixedToken: string,
  entra: EntraSandbox | undefined,
  /** The sandbox's own root: a client pointed at it asks for `<root>/.default`, as it would for a national cloud's Graph. */
  ownResource: string,
): GraphCaller | undefined {
  if (authorization === `Bearer ${fixedToken}`) return { kind: 'sandboxToken' };
  if (!entra || !authorization?.startsWith('Bearer ')) return undefined;
  const grant = entra.verifyAccessToken(authorization.slice('Bearer '.length));
  if (!grant || !(GRAPH_RESOURCES.has(grant.resource) || grant.resource === ownResource)) return undefined;
  return { kind: 'application', appId: grant.appId, directoryId: grant.directoryId };
}
