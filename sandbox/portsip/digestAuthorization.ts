import { createHash, randomBytes } from 'node:crypto';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The name=value pairs of a `WWW-Authenticate: Digest …` challenge, or undefined for any other scheme. */
function digestChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^Digest\s/i.test(header)) return undefined;
  const fields: Record<string, string> = {};
  for (const [, name, quoted, bare] of header.slice(7).matchAll(/([a-z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/gi))
    fields[name!.toLowerCase()] = quoted ?? bare ?? '';
  return fields;
}

/**
 * The `Authorization` answer (RFC 7616, MD5, qop=auth when offered) to a receiver's Digest challenge, or
 * undefined when the challenge is not Digest; the PBX answers a 401 challenge once, as an HTTP client does.
 */
export function digestAuthorization(
  challengeHeader: string | null,
  request: { method: string; url: string; username: string; password: string },
): string | undefined {
  const challenge = digestChallenge(challengeHeader);
  if (!challenge?.nonce) return undefined;
  const realm = challenge.realm ?? '';
  const { pathname, search } = new URL(request.url);
  const uri = `${pathname}${search}`;
  const ha1 = md5(`${request.username}:${realm}:${request.password}`);
  const ha2 = md5(`${request.method}:${uri}`);
  const qopAuth = (challenge.qop ?? '').split(',').some((q) => q.trim() === 'auth');
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = qopAuth ? md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${request.username}"`,
    `realm="${realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    'algorithm=MD5',
    `response="${response}"`,
    ...(qopAuth ? ['qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`] : []),
    ...(challenge.opaque === undefined ? [] : [`opaque="${challenge.opaque}"`]),
  ];
  return `Digest ${parts.join(', ')}`;
}
