import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, restoreRedactedSecrets } from '../../../shared/admin/redactSecrets';
import { appErrorOf } from '../../support/appErrorOf';

const stored = {
  displayName: 'Demo',
  microsoft365: { auth: { kind: 'sandbox', token: 'sandbox-token-123', graphBaseUrl: 'http://127.0.0.1:7081' } },
  pbx: { credentialSecretName: 'pbx-admin', extras: [{ password: 'p' }] },
};

describe('redactSecrets / restoreRedactedSecrets', () => {
  it('replaces secret values (token, password…) with *** and leaves secret names and the rest alone', () => {
    const shown = redactSecrets(stored);
    expect(shown.microsoft365.auth).toEqual({ kind: 'sandbox', token: REDACTED, graphBaseUrl: 'http://127.0.0.1:7081' });
    expect(shown.pbx).toEqual({ credentialSecretName: 'pbx-admin', extras: [{ password: REDACTED }] });
    expect(JSON.stringify(shown)).not.toContain('sandbox-token-123');
    expect(stored.microsoft365.auth.token).toBe('sandbox-token-123');
  });

  it('a GET-edit-PUT round trip keeps the stored secret', () => {
    const edited = { ...redactSecrets(stored), displayName: 'Demo 2' };
    expect(restoreRedactedSecrets(edited, stored).microsoft365.auth.token).toBe('sandbox-token-123');
  });

  it('refuses *** when nothing is stored, or when the fields beside the secret changed (a secret never follows a new URL)', async () => {
    const shown = redactSecrets(stored);
    expect((await appErrorOf((async () => restoreRedactedSecrets(shown, undefined))())).code).toBe('UNPROCESSABLE');
    const moved = { ...shown, microsoft365: { auth: { ...shown.microsoft365.auth, graphBaseUrl: 'http://127.0.0.1:9999' } } };
    const err = await appErrorOf((async () => restoreRedactedSecrets(moved, stored))());
    expect(err.message).toContain('microsoft365.auth.token');
  });
});
