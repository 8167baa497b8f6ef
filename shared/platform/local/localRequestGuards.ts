import type { HttpResponseInit } from '@azure/functions';
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The checks the local host makes before a handler runs. Each answers with the refusal (a 4xx with a JSON
 * error naming what was wrong), or undefined to let the request on. They exist because the local host
 * listens on a developer's machine, where any web page in a browser can send it requests: only loopback
 * Host names (DNS rebinding sends the attacker's name), no foreign Origin (a page's fetch or form), and the
 * admin key on the admin routes (as Azure asks for a function key).
 */

const refusal = (status: number, code: string, message: string): HttpResponseInit => ({
  status,
  jsonBody: { error: { code, message } },
});

/** A value from the request, quoted and cut for an error message. */
const shown = (value: string) => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(?::([0-9]{1,5}))?$/i;

/** The origins this host calls its own: http on a loopback name and its port. */
export function ownOrigins(port: number): string[] {
  const suffix = port === 80 ? '' : `:${port}`;
  return ['localhost', '127.0.0.1', '[::1]'].map((name) => `http://${name}${suffix}`);
}

/** The request target must be a path (origin-form): `http://other/…` or `//other/…` would name another host. */
export function checkTarget(target: string | undefined): HttpResponseInit | undefined {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//'))
    return refusal(400, 'INVALID', `the request target must be a path starting with /api/, got ${shown(target ?? '')}`);
  return undefined;
}

/**
 * Host must be a loopback name with this host's port (`localhost:7071`, `127.0.0.1:7071`, `[::1]:7071`),
 * or, for anonymous routes only, one of `publicHosts` (the host of PUBLIC_BASE_URL, when a tunnel forwards
 * Graph's notifications). Missing or unparsable → 400; another name → 421 Misdirected Request.
 */
export function checkHost(
  host: string | undefined,
  port: number,
  publicHosts: readonly string[],
): { ok: 'loopback' | 'public' } | { refusal: HttpResponseInit } {
  const allowed = ownOrigins(port)
    .map((origin) => origin.slice('http://'.length))
    .join(', ');
  if (host === undefined || host === '') return { refusal: refusal(400, 'INVALID', `a Host header is required (one of ${allowed})`) };
  const match = LOOPBACK_HOST.exec(host);
  if (match && Number(match[2] ?? '80') === port) return { ok: 'loopback' };
  if (publicHosts.some((name) => name.toLowerCase() === host.toLowerCase())) return { ok: 'public' };
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/i.test(host))
    return { refusal: refusal(400, 'INVALID', `the Host header ${shown(host)} is not a valid host; use one of ${allowed}`) };
  return {
    refusal: refusal(421, 'MISDIRECTED', `this local host only answers to ${allowed} (the Host header was ${shown(host)})`),
  };
}

/**
 * Refuses a request from a web page of another origin: an Origin header other than this host's own
 * loopback origins (including `null`), or Sec-Fetch-Site saying cross-site or same-site. No CORS headers
 * are ever sent, so a browser lets no other page read an answer either.
 */
export function checkOrigin(headers: IncomingHttpHeaders, port: number): HttpResponseInit | undefined {
  const origin = headers.origin;
  if (origin !== undefined && !ownOrigins(port).includes(origin.toLowerCase()))
    return refusal(
      403,
      'FORBIDDEN',
      `cross-origin requests are refused (Origin ${shown(origin)}); call the API from a script or curl, not a web page`,
    );
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    return refusal(403, 'FORBIDDEN', `cross-site requests are refused (Sec-Fetch-Site ${shown(site)})`);
  return undefined;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The admin key, as Azure Functions takes a function key: the `x-functions-key` header, else the `code`
 * query parameter (once). Compared in constant time (SHA-256 digests, so the length does not leak either).
 */
export function checkAdminKey(headers: IncomingHttpHeaders, query: URLSearchParams, key: string): HttpResponseInit | undefined {
  const how = 'send the local admin key (in .local/admin-key) as the x-functions-key header or the code query parameter';
  const header = headers['x-functions-key'];
  const codes = query.getAll('code');
  if (header === undefined && codes.length > 1)
    return refusal(401, 'UNAUTHORIZED', `the code query parameter is given more than once; ${how}`);
  const given = typeof header === 'string' ? header : codes[0];
  if (given === undefined || given === '') return refusal(401, 'UNAUTHORIZED', `this admin route needs a key: ${how}`);
  if (!timingSafeEqual(digest(given), digest(key))) return refusal(401, 'UNAUTHORIZED', `the admin key is wrong; ${how}`);
  return undefined;
}

/** Whether every `%` in `text` starts valid UTF-8 percent-encoding (not `%E0%A4%A`, not overlong `%C0%AE`, not `%ZZ`). */
export function isValidPercentEncoding(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
