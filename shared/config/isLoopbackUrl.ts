/** True for a URL on this machine (localhost, 127.x.x.x, [::1]); false for anything else or a non-URL. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** True for an https URL, or an http one on this machine (a sandbox); a credential may be sent to nothing else. */
export function isHttpsOrLoopbackUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || (protocol === 'http:' && isLoopbackUrl(url));
  } catch {
    return false;
  }
}

/**
 * The URL's origin, `scheme://host[:port]` (a default port is left out, so https://pbx and https://pbx:443
 * are the same origin); a credential is bound to the origin it was written for. Throws for a non-URL.
 */
export function urlOrigin(url: string): string {
  return new URL(url).origin;
}
