import { describe, expect, it } from 'vitest';
import { type CertificateVersion } from '../../../shared/platform/certificates/CertificateStore';
import { type CertificateRolloverState } from '../../../shared/credentials/CredentialStateStore';
import { nextRolloverStep } from '../../../shared/credentials/nextRolloverStep';

const day = 86_400_000;
const now = new Date('2027-06-01T00:00:00Z');
const version = (id: string, startDaysAgo: number, lifeDays = 365, enabled = true): CertificateVersion => ({
  version: id,
  thumbprint: id.toUpperCase().padEnd(40, '0'),
  notBefore: new Date(now.getTime() - startDaysAgo * day),
  notAfter: new Date(now.getTime() - startDaysAgo * day + lifeDays * day),
  createdOn: new Date(now.getTime() - startDaysAgo * day),
  enabled,
});
const oldV = version('a1', 300);
const newV = version('b2', 10);
const step = (versions: CertificateVersion[], state: CertificateRolloverState, canRegister = true, refused: string[] = []) =>
  nextRolloverStep({ versions, state, now, canRegister, refused: new Set(refused) });

describe('nextRolloverStep', () => {
  it('adopts the newest valid version when none is chosen (the one the admin uploads first)', () => {
    expect(step([newV, oldV], { keys: [] })).toEqual({ kind: 'adopt', version: newV });
  });

  it('skips disabled and not-yet-valid versions when adopting', () => {
    const future = version('c3', -5);
    const disabled = version('d4', 1, 365, false);
    expect(step([future, disabled, oldV], { keys: [] })).toEqual({ kind: 'adopt', version: oldV });
  });

  it('registers a newer version with a proof from the active one, then probes it', () => {
    expect(step([newV, oldV], { activeVersion: 'a1', keys: [] })).toEqual({ kind: 'register', version: newV, signWith: oldV });
    const registered = { activeVersion: 'a1', keys: [{ version: 'b2', thumbprint: newV.thumbprint, registeredBy: 'connector' as const }] };
    expect(step([newV, oldV], registered)).toEqual({ kind: 'probe', version: newV });
  });

  it('only probes when the app object id is unknown (the admin must upload it)', () => {
    expect(step([newV, oldV], { activeVersion: 'a1', keys: [] }, false)).toEqual({ kind: 'probe', version: newV });
  });

  it('cannot register with an expired active version: it probes (the admin may have uploaded the new one)', () => {
    const expired = version('a1', 400);
    expect(step([newV, expired], { activeVersion: 'a1', keys: [] })).toEqual({ kind: 'probe', version: newV });
  });

  it('stops when the newer version was refused in this pass', () => {
    const state = { activeVersion: 'a1', keys: [{ version: 'b2', thumbprint: newV.thumbprint, registeredBy: 'connector' as const }] };
    expect(step([newV, oldV], state, true, ['b2'])).toEqual({
      kind: 'done',
      reason: `Entra does not accept version ${newV.thumbprint} yet`,
    });
  });

  it('removes a retiring key with a proof from the new active version, and never one with a removal problem', () => {
    const state: CertificateRolloverState = {
      activeVersion: 'b2',
      keys: [
        { version: 'a1', thumbprint: oldV.thumbprint, registeredBy: 'admin' as const, retiring: true },
        { version: 'b2', thumbprint: newV.thumbprint, registeredBy: 'connector' as const },
      ],
    };
    expect(step([newV, oldV], state)).toEqual({ kind: 'remove', thumbprint: oldV.thumbprint, signWith: newV });
    state.keys[0] = { ...state.keys[0]!, removalProblem: 'cannot read the app' };
    expect(step([newV, oldV], state)).toEqual({ kind: 'done', reason: 'the newest version is in use' });
  });

  it('is done when nothing is valid', () => {
    expect(step([version('a1', 400)], { keys: [] })).toEqual({ kind: 'done', reason: 'the certificate has no enabled version valid now' });
  });
});
