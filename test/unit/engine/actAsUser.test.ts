import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { type LinkedUser } from '../../../shared/engine/LinkedUsers';
import { actAsUser } from '../../../shared/engine/actAsUser';
import { noUserAccess } from '../../../shared/pbx/ports/PortalPasswords';

const created: LinkedUser = { objectId: 'u1', pbxUserId: 'p1', extensionNumber: '1001', pbxUserName: 'ada', origin: 'created' };

describe('actAsUser', () => {
  it('never acts as a user the connector adopted', async () => {
    const work = vi.fn();
    expect(await actAsUser({ manageUserPasswords: true }, { ...created, origin: 'adopted' }, work)).toEqual({
      ok: false,
      reason: 'adopted',
    });
    expect(work).not.toHaveBeenCalled();
  });

  it('reports the reason when the PBX refuses the session', async () => {
    const work = () => Promise.reject(noUserAccess('passwordRejected', 'refused'));
    expect(await actAsUser({ manageUserPasswords: false }, created, work)).toEqual({ ok: false, reason: 'passwordRejected' });
  });

  it('with manageUserPasswords, sets a new password and tries once more', async () => {
    const resetPassword = vi.fn(() => Promise.resolve());
    const work = vi.fn().mockRejectedValueOnce(noUserAccess('passwordResetRequired', 'reset')).mockResolvedValueOnce('done');
    const outcome = await actAsUser({ manageUserPasswords: true, portalAccess: { resetPassword, check: vi.fn() } }, created, work);
    expect(outcome).toEqual({ ok: true, value: 'done' });
    expect(resetPassword).toHaveBeenCalledWith({ id: 'p1', userName: 'ada' });
  });

  it('does not reset the password of a user who signs in with two factors', async () => {
    const resetPassword = vi.fn();
    const work = () => Promise.reject(noUserAccess('twoFactorRequired', '2fa'));
    const outcome = await actAsUser({ manageUserPasswords: true, portalAccess: { resetPassword, check: vi.fn() } }, created, work);
    expect(outcome).toEqual({ ok: false, reason: 'twoFactorRequired' });
    expect(resetPassword).not.toHaveBeenCalled();
  });

  it('lets any other failure through', async () => {
    await expect(
      actAsUser({ manageUserPasswords: false }, created, () => Promise.reject(new AppError('THROTTLED', 'slow down'))),
    ).rejects.toThrow('slow down');
  });
});
