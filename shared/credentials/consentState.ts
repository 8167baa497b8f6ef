import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How long an admin-consent link stays usable. */
export const CONSENT_STATE_LIFETIME_MS = 24 * 3_600_000;

const PayloadSchema = z.object({ t: z.string().min(1).max(63), d: z.string(), x: z.number().int(), n: z.string() }).strict();

/**
 * The `state` an admin-consent URL carries through Entra and back to the callback: which tenant (and
 * directory) it was made for and until when, signed (HMAC-SHA256) so a forged callback cannot record consent
 * for a tenant, nor for a directory other than the one configured.
 */
export function signConsentState(key: Buffer, input: { tenantId: string; directoryId: string; now: Date }): string {
  const payload = Buffer.from(
    JSON.stringify({
      t: input.tenantId,
      d: input.directoryId,
      x: input.now.getTime() + CONSENT_STATE_LIFETIME_MS,
      n: randomBytes(8).toString('hex'),
    }),
  ).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

/** The tenant and directory a state was signed for, or why it is refused (a reason safe to show). */
export function readConsentState(
  key: Buffer,
  state: string,
  now: Date,
): { ok: true; tenantId: string; directoryId: string } | { ok: false; reason: string } {
  const [payload, signature, extra] = state.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'the state is not one the connector made' };
  const expected = createHmac('sha256', key).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'the state is not one the connector made' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'the state is not one the connector made' };
  }
  const result = PayloadSchema.safeParse(parsed);
  if (!result.success) return { ok: false, reason: 'the state is not one the connector made' };
  if (result.data.x < now.getTime()) return { ok: false, reason: 'the consent link has expired; ask for a new one' };
  return { ok: true, tenantId: result.data.t, directoryId: result.data.d };
}
