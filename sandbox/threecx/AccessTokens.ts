import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/**
 * Bearer tokens for the API client: HS256 JWTs whose `exp` a client can read. 3CX says "only one access token can
 * be active at a time"; ⚠ whether a new token revokes the old one (modelled here) or only parallel creation
 * fails is unverified, so `singleActive` can be turned off.
 */
export class AccessTokens {
  private readonly key = randomBytes(32);
  private readonly active = new Map<string, number>();

  constructor(
    private readonly lifetimeSeconds: number,
    private readonly singleActive: boolean,
    private readonly now: () => number,
  ) {}

  issue(clientId: string): { token: string; lifetimeSeconds: number } {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.lifetimeSeconds;
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: clientId, client_id: clientId, iat, nbf: iat, exp, jti: randomUUID() })}`;
    const token = `${input}.${createHmac('sha256', this.key).update(input).digest('base64url')}`;
    if (this.singleActive) this.active.clear();
    this.active.set(token, exp * 1000);
    return { token, lifetimeSeconds: this.lifetimeSeconds };
  }

  isValid(token: string): boolean {
    const expiresAt = this.active.get(token);
    if (expiresAt === undefined) return false;
    if (this.now() < expiresAt) return true;
    this.active.delete(token);
    return false;
  }
}
