import { randomUUID } from 'node:crypto';

/** Graph's validation token: opaque, with spaces and colons, so an endpoint that echoes it undecoded fails. */
export function newValidationToken(): string {
  return `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
}

/**
 * Encodes the token the way Graph's (.NET) query strings do: form encoding, `+` for a space, lowercase hex
 * (`Validation%3a+Testing+…`). An endpoint that decodes with `decodeURIComponent` alone echoes `+` back and fails,
 * as it would against Graph.
 */
export function encodeValidationToken(token: string): string {
  return encodeURIComponent(token)
    .replace(/%20/g, '+')
    .replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

/** The endpoint URL with `validationToken` appended; its own query string (and nothing else) is kept as given. */
export function validationUrl(url: string, token: string): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}validationToken=${encodeValidationToken(token)}`;
}

/**
 * Graph's validation handshake: POST `<url>?validationToken=<encoded token>` (text/plain, empty body). The
 * endpoint passes with 200, a text/plain content type and exactly the decoded token, all within the timeout.
 * Redirects are not followed: Graph wants the answer from the URL it was given.
 */
export async function validateEndpoint(url: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const token = newValidationToken();
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(validationUrl(url, token), {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    // The timeout also covers reading the body: a slow trickle fails like no answer.
    const body = await response.text();
    return response.status === 200 && (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/plain') && body === token;
  } catch {
    return false;
  }
}
