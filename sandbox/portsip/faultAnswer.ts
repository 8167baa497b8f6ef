import { type PbxFault } from './FaultQueue';

const CODES: Record<number, string> = { 401: 'UNAUTHORIZED', 404: 'NOT_FOUND', 429: 'TOO_MANY_REQUESTS' };

/** How an injected fault answers: PortSIP's error shape, with Retry-After on a throttle. */
export function faultAnswer(fault: PbxFault): { status: number; body: unknown; headers: Record<string, string> } {
  const code = CODES[fault.status] ?? (fault.status >= 500 ? 'UNKNOWN' : 'VALIDATE_FAILED');
  const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  return { status: fault.status, body: { errors: [{ code, message: `Injected fault (${fault.status})` }] }, headers };
}

/**
 * The answer to a request over the rate limit. ⚠ PortSIP documents only that it "throttles" (no status, body
 * or header): the sandbox uses the common 429 + Retry-After in PortSIP's error shape.
 */
export function throttledAnswer(retryAfterSeconds: number): { status: number; body: unknown; headers: Record<string, string> } {
  return {
    status: 429,
    body: { errors: [{ code: 'TOO_MANY_REQUESTS', message: `Too many requests; retry after ${retryAfterSeconds} s` }] },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}
