import { type GraphSandbox } from '../../sandbox/graph';

/**
 * One request to the sandbox Graph's control API (`/_sandbox…`, no auth): its status and parsed JSON body (a
 * refusal carries Graph's `error`).
 */
export async function graphControlCall(
  graph: GraphSandbox,
  method: string,
  path: string,
  json?: unknown,
): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } }> {
  const response = await fetch(`${graph.baseUrl}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}
