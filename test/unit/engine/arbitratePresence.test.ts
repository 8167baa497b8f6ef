import { describe, expect, it } from 'vitest';
import { arbitratePresence, type PresenceArbiterInput } from '../../../shared/engine/arbitratePresence';
import { type AppliedPresence, type PresenceWish } from '../../../shared/engine/PresenceRecord';
import { type PbxPresenceReading } from '../../../shared/pbx/ports/PbxPresenceState';

const NOW = '2026-12-02T10:00:00.000Z';
const EARLIER = '2026-12-02T09:00:00.000Z';
const pbx = (status: PbxPresenceReading['status'], doNotDisturb = false, statusNote = ''): PbxPresenceReading => ({
  status,
  doNotDisturb,
  statusNote,
});
const teams = (target: PresenceWish['target']): PresenceWish => ({ source: 'teams', target, detail: `Teams ${target}` });
const calendar = (target: PresenceWish['target']): PresenceWish => ({ source: 'calendar', target, detail: `calendar ${target}` });

function decide(input: Partial<PresenceArbiterInput> & Pick<PresenceArbiterInput, 'wishes' | 'reading'>) {
  return arbitratePresence({ applied: undefined, mode: 'status', statusNote: '', now: NOW, ...input });
}

const appliedBy = (
  source: AppliedPresence['source'],
  target: AppliedPresence['target'],
  asserted: AppliedPresence['asserted'],
  before = pbx('available'),
): AppliedPresence => ({
  source,
  target,
  mode: 'status',
  asserted,
  before,
  at: EARLIER,
});

describe('arbitratePresence', () => {
  it('sets the status a wish asks for, sending only what differs, and remembers the status from before', () => {
    const decision = decide({ wishes: [teams('doNotDisturb')], reading: pbx('available') });
    expect(decision.changes).toEqual({ status: 'doNotDisturb' });
    expect(decision.reason).toBe('set');
    expect(decision.applied).toEqual({
      source: 'teams',
      target: 'doNotDisturb',
      mode: 'status',
      asserted: { status: 'doNotDisturb' },
      before: pbx('available'),
      at: NOW,
    });
  });

  it('writes the configured note with the status', () => {
    const decision = decide({ wishes: [teams('away')], reading: pbx('available', false, 'old'), statusNote: 'from Teams' });
    expect(decision.changes).toEqual({ status: 'away', statusNote: 'from Teams' });
  });

  it('writes nothing when the PBX already shows the standing status', () => {
    const applied = appliedBy('teams', 'doNotDisturb', { status: 'doNotDisturb' });
    const decision = decide({ wishes: [teams('doNotDisturb')], reading: pbx('doNotDisturb'), applied });
    expect(decision).toMatchObject({ changes: {}, reason: undefined, applied: { ...applied, at: EARLIER } });
  });

  it('writes again what the PBX lost while the same wish stands', () => {
    const applied = appliedBy('teams', 'doNotDisturb', { status: 'doNotDisturb' });
    const decision = decide({ wishes: [teams('doNotDisturb')], reading: pbx('available'), applied });
    expect(decision.changes).toEqual({ status: 'doNotDisturb' });
    expect(decision.reason).toBe('reasserted');
    expect(decision.applied?.before).toEqual(pbx('available'));
  });

  it('does not re-assert a status the PBX hides behind a call, but does send a new one', () => {
    const applied = appliedBy('teams', 'doNotDisturb', { status: 'doNotDisturb' });
    expect(decide({ wishes: [teams('doNotDisturb')], reading: pbx(undefined), applied }).changes).toEqual({});
    expect(decide({ wishes: [teams('available')], reading: pbx(undefined), applied }).changes).toEqual({ status: 'available' });
  });

  it('never overrides a business trip or lunch set by hand, and ends the episode', () => {
    for (const manual of ['businessTrip', 'lunch'] as const) {
      const applied = appliedBy('teams', 'doNotDisturb', { status: 'doNotDisturb' });
      const decision = decide({ wishes: [teams('doNotDisturb'), calendar('doNotDisturb')], reading: pbx(manual), applied });
      expect(decision).toMatchObject({ changes: {}, applied: undefined, reason: 'heldByPbx', heldBy: manual });
    }
  });

  it('lets the calendar win over Teams', () => {
    const decision = decide({ wishes: [teams('available'), calendar('doNotDisturb')], reading: pbx('available') });
    expect(decision.changes).toEqual({ status: 'doNotDisturb' });
    expect(decision.wish?.source).toBe('calendar');
    // Teams' opinion counts once the calendar has none.
    expect(decide({ wishes: [teams('away'), calendar('leave')], reading: pbx('available') }).wish?.source).toBe('teams');
  });

  it('keeps what Teams set when Teams goes offline (leave)', () => {
    const applied = appliedBy('teams', 'doNotDisturb', { status: 'doNotDisturb' });
    expect(decide({ wishes: [teams('leave')], reading: pbx('doNotDisturb'), applied })).toMatchObject({
      changes: {},
      applied,
      reason: undefined,
    });
  });

  it('restores the status from before when the higher source ends and nobody changed it', () => {
    const applied = appliedBy('calendar', 'doNotDisturb', { status: 'doNotDisturb' }, pbx('away'));
    const decision = decide({ wishes: [calendar('leave'), teams('leave')], reading: pbx('doNotDisturb'), applied });
    expect(decision).toMatchObject({ changes: { status: 'away' }, applied: undefined, reason: 'restored' });
  });

  it('restores nothing when the status was changed by hand in between', () => {
    const applied = appliedBy('calendar', 'doNotDisturb', { status: 'doNotDisturb' }, pbx('away'));
    const decision = decide({ wishes: [calendar('leave')], reading: pbx('available'), applied });
    expect(decision).toMatchObject({ changes: {}, applied: undefined, reason: 'changedByHand' });
  });

  it('counts a status hidden behind a call as unchanged when restoring', () => {
    const applied = appliedBy('calendar', 'doNotDisturb', { status: 'doNotDisturb' }, pbx('away'));
    expect(decide({ wishes: [], reading: pbx(undefined), applied })).toMatchObject({ changes: { status: 'away' }, reason: 'restored' });
  });

  it('keeps the first "before" through a hand-over from the calendar to Teams', () => {
    const applied = appliedBy('calendar', 'doNotDisturb', { status: 'doNotDisturb' }, pbx('away'));
    const decision = decide({ wishes: [calendar('leave'), teams('available')], reading: pbx('doNotDisturb'), applied });
    expect(decision).toMatchObject({ changes: { status: 'available' }, reason: 'set', applied: { source: 'teams', before: pbx('away') } });
  });

  describe('with the admin DND switch only', () => {
    it('switches DND on for doNotDisturb and off again for another status, once it had switched it on', () => {
      const on = decide({ wishes: [teams('doNotDisturb')], reading: pbx('available'), mode: 'dndOnly' });
      expect(on.changes).toEqual({ doNotDisturb: true });
      const off = decide({ wishes: [teams('available')], reading: pbx('available', true), mode: 'dndOnly', applied: on.applied });
      expect(off.changes).toEqual({ doNotDisturb: false });
    });

    it('never switches off a DND it did not switch on, and cannot set a status', () => {
      const decision = decide({ wishes: [teams('away')], reading: pbx('available', true), mode: 'dndOnly' });
      expect(decision.changes).toEqual({});
      expect(decision.applied?.asserted).toEqual({});
    });

    it('restores DND as it was before', () => {
      const applied: AppliedPresence = { ...appliedBy('calendar', 'doNotDisturb', { doNotDisturb: true }), mode: 'dndOnly' };
      expect(decide({ wishes: [], reading: pbx('available', true), applied, mode: 'dndOnly' }).changes).toEqual({ doNotDisturb: false });
    });
  });
});
