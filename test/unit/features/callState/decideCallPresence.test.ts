import { describe, expect, it } from 'vitest';
import { decideByPbx, decideCallEvent, decideReassert } from '../../../../shared/features/callState/decideCallPresence';
import { type CallPresence } from '../../../../shared/engine/PresenceRecord';

const OPTIONS = { sessionMinutes: 5, maxCallHours: 8 };
const T = Date.parse('2027-01-04T09:00:00Z');
const NOW = new Date(T + 2_000);
const active = (at = T): CallPresence => ({
  active: true,
  eventAt: new Date(at).toISOString(),
  sessionUntil: new Date(at + 300_000).toISOString(),
});
const idle = (at: number): CallPresence => ({ active: false, eventAt: new Date(at).toISOString() });

describe('decideCallEvent', () => {
  it('sets the session on a start, with its expiry, and clears it on the later end', () => {
    const start = decideCallEvent(undefined, { state: 'onCall', eventAt: T }, NOW, OPTIONS);
    expect(start).toMatchObject({
      action: 'set',
      call: { active: true, eventAt: new Date(T).toISOString(), sessionUntil: new Date(NOW.getTime() + 300_000).toISOString() },
    });
    expect(decideCallEvent(start.call, { state: 'idle', eventAt: T + 60_000 }, NOW, OPTIONS)).toMatchObject({
      action: 'clear',
      call: idle(T + 60_000),
    });
  });

  it('treats repeats as no-ops', () => {
    expect(decideCallEvent(active(), { state: 'onCall', eventAt: T }, NOW, OPTIONS).action).toBe('keep');
    expect(decideCallEvent(idle(T), { state: 'idle', eventAt: T }, NOW, OPTIONS)).toEqual({
      action: 'keep',
      call: idle(T),
      why: 'a repeat',
    });
  });

  it('lets an end that overtook its (older) start win', () => {
    const end = decideCallEvent(undefined, { state: 'idle', eventAt: T + 30_000 }, NOW, OPTIONS);
    expect(end).toEqual({ action: 'keep', call: idle(T + 30_000), why: 'no call was shown' });
    expect(decideCallEvent(end.call, { state: 'onCall', eventAt: T }, NOW, OPTIONS).action).toBe('keep');
  });

  it('asks the PBX when a start and an end share a second (PortSIP’s times are whole seconds)', () => {
    expect(decideCallEvent(idle(T), { state: 'onCall', eventAt: T }, NOW, OPTIONS).action).toBe('askPbx');
    expect(decideCallEvent(active(), { state: 'idle', eventAt: T }, NOW, OPTIONS).action).toBe('askPbx');
  });

  it('ignores an event older than the last one applied', () => {
    expect(decideCallEvent(active(T + 10_000), { state: 'idle', eventAt: T }, NOW, OPTIONS).action).toBe('keep');
  });

  it('does not start a session for a call that began longer ago than maxCallHours', () => {
    const old = T - 8 * 3_600_000;
    expect(decideCallEvent(undefined, { state: 'onCall', eventAt: old }, NOW, OPTIONS)).toMatchObject({
      action: 'keep',
      call: { active: false },
    });
  });
});

describe('decideReassert', () => {
  it('sets the session again while the PBX shows the call, with a new expiry', () => {
    const later = new Date(T + 240_000);
    expect(decideReassert(active(), T, 'onCall', later, OPTIONS)).toMatchObject({
      action: 'set',
      call: { active: true, eventAt: new Date(T).toISOString(), sessionUntil: new Date(later.getTime() + 300_000).toISOString() },
    });
  });

  it('clears when the PBX shows no call (the end was lost) or cannot find the phone', () => {
    expect(decideReassert(active(), T, 'idle', NOW, OPTIONS).action).toBe('clear');
    expect(decideReassert(active(), T, 'unknown', NOW, OPTIONS).action).toBe('clear');
  });

  it('lets go after maxCallHours, leaves the session to expire when the PBX cannot say, and drops an outdated timer', () => {
    expect(decideReassert(active(), T, 'onCall', new Date(T + 8 * 3_600_000), OPTIONS).action).toBe('clear');
    expect(decideReassert(active(), T, undefined, NOW, OPTIONS).action).toBe('keep');
    expect(decideReassert(active(T + 1000), T, 'onCall', NOW, OPTIONS).action).toBe('keep');
    expect(decideReassert(idle(T + 1000), T, 'onCall', NOW, OPTIONS).action).toBe('keep');
  });
});

describe('decideByPbx', () => {
  it('sets when the PBX shows a call (hung up and called again within the second)', () => {
    expect(decideByPbx(idle(T), T, 'onCall', NOW, OPTIONS)).toMatchObject({
      action: 'set',
      call: { active: true, eventAt: new Date(T).toISOString(), sessionUntil: new Date(NOW.getTime() + 300_000).toISOString() },
    });
  });

  it('clears (or keeps nothing) when the PBX shows none, and lets the end win when the PBX cannot say', () => {
    expect(decideByPbx(active(), T, 'idle', NOW, OPTIONS)).toMatchObject({ action: 'clear', call: idle(T) });
    expect(decideByPbx(idle(T), T, 'unknown', NOW, OPTIONS)).toMatchObject({ action: 'keep', call: idle(T) });
    expect(decideByPbx(active(), T, undefined, NOW, OPTIONS)).toMatchObject({ action: 'clear', why: expect.stringMatching(/end wins/) });
  });
});
