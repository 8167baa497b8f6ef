import { describe, expect, it } from 'vitest';
import { CONSENT_STATE_LIFETIME_MS, readConsentState, signConsentState } from '../../../shared/credentials/consentState';

const key = Buffer.alloc(32, 7);
const now = new Date('2027-01-01T00:00:00Z');

describe('consent state', () => {
  it('reads back the tenant and directory it was signed for', () => {
    const state = signConsentState(key, { tenantId: 'contoso', directoryId: 'dir-1', now });
    expect(readConsentState(key, state, now)).toEqual({ ok: true, tenantId: 'contoso', directoryId: 'dir-1' });
  });

  it('refuses another key, a changed payload, garbage and an expired state', () => {
    const state = signConsentState(key, { tenantId: 'contoso', directoryId: 'dir-1', now });
    expect(readConsentState(Buffer.alloc(32, 8), state, now).ok).toBe(false);
    const [payload, signature] = state.split('.');
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('contoso', 'fabrikm')).toString('base64url');
    expect(readConsentState(key, `${forged}.${signature}`, now).ok).toBe(false);
    expect(readConsentState(key, 'not-a-state', now).ok).toBe(false);
    expect(readConsentState(key, `${state}.x`, now).ok).toBe(false);
    expect(readConsentState(key, state, new Date(now.getTime() + CONSENT_STATE_LIFETIME_MS + 1))).toEqual({
      ok: false,
      reason: 'the consent link has expired; ask for a new one',
    });
  });
});
