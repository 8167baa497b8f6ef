import { z } from 'zod';
import { parseBody } from './parseBody';
import { PbxError } from './PbxError';
import { type RequestBody } from './readJsonBody';
import { type ViewAnswer } from './sandboxViewRoutes';

/** For the /_sandbox index. */
export const LATENCY_CONTROL_ROUTE = {
  method: 'POST',
  path: '/_sandbox/latency',
  shows: 'delays every PortSIP API answer by {ms} (0 to 10000; 0 turns it off): a slow PBX, to watch a run go',
};

const LatencyBody = z.object({ ms: z.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(10_000) }).strict();

/**
 * POST /_sandbox/latency {ms}: the sandbox's answers to PortSIP API calls are delayed from then on (loopback only,
 * no auth, like the other controls). undefined for any other path.
 */
export function sandboxLatencyAnswer(
  method: string,
  path: string,
  body: RequestBody,
  setLatency: (ms: number) => void,
): ViewAnswer | undefined {
  if (path !== LATENCY_CONTROL_ROUTE.path) return undefined;
  try {
    if (method !== 'POST') throw new PbxError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use POST`);
    const { ms } = parseBody(LatencyBody, body.parse());
    setLatency(ms);
    return { status: 200, body: { latencyMs: ms } };
  } catch (err) {
    if (err instanceof PbxError)
      return { status: err.status, body: err.body(), ...(err.status === 405 ? { headers: { allow: 'POST' } } : {}) };
    throw err;
  }
}
