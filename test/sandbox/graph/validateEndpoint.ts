import { randomUUID } from 'node:crypto';

/**
 * Graph's validation handshake: POST `<url>?validationToken=<encoded token>` (text/plain, empty body). The
 * endpoint passes with 200, a text/plain content type and exactly the decoded token, within the timeout.
 * The token is opaque and, like Graph's, holds characters that need URL-encoding.
 */
export async function validateEndpoint(url: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    return response.status === 200 && (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/plain') && body === token;
  } catch {
    return false;
  }
}
