import { describe, expect, it } from 'vitest';
import {
  aggregatePresence,
  type AppPresenceSession,
  AppPresenceSessions,
  durationMs,
  isSetPresencePair,
} from '../../../../sandbox/graph/appPresenceSessions';
import { PresenceBoard } from '../../../../sandbox/graph/PresenceBoard';

const MINUTE = 60_000;
const APP = 'app-1';

function session(
  availability: AppPresenceSession['availability'],
  activity: AppPresenceSession['activity'],
  setAt = 0,
): AppPresenceSession {
  return { sessionId: `s-${availability}-${setAt}`, availability, activity, expiresAt: Infinity, setAt };
}

describe('durationMs', () => {
  it('reads days, hours, minutes and seconds', () => {
    expect(durationMs('PT5M')).toBe(5 * MINUTE);
    expect(durationMs('PT4H')).toBe(240 * MINUTE);
    expect(durationMs('PT1H30M')).toBe(90 * MINUTE);
    expect(durationMs('PT90S')).toBe(90_000);
    expect(durationMs('PT0.5S')).toBe(500);
    expect(durationMs('P1D')).toBe(24 * 60 * MINUTE);
    expect(durationMs('P1DT1H')).toBe(25 * 60 * MINUTE);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 'P', 'PT', 'P1DT', '5M', 'PT5', 'PT-5M', 'P1M', 'P1W', 'pt5m', 'PT5M ', '300'])
      expect(durationMs(text), text).toBeUndefined();
  });
});

describe('isSetPresencePair', () => {
  it('accepts Graph’s five pairs only', () => {
    expect(isSetPresencePair('Available', 'Available')).toBe(true);
    expect(isSetPresencePair('Busy', 'InACall')).toBe(true);
    expect(isSetPresencePair('Busy', 'InAConferenceCall')).toBe(true);
    expect(isSetPresencePair('Away', 'Away')).toBe(true);
    expect(isSetPresencePair('DoNotDisturb', 'Presenting')).toBe(true);
    expect(isSetPresencePair('Busy', 'Busy')).toBe(false);
    expect(isSetPresencePair('Busy', 'InAMeeting')).toBe(false);
    expect(isSetPresencePair('DoNotDisturb', 'DoNotDisturb')).toBe(false);
    expect(isSetPresencePair('BeRightBack', 'BeRightBack')).toBe(false);
    expect(isSetPresencePair('available', 'available')).toBe(false);
  });
});

describe('aggregatePresence', () => {
  it('is Offline/Offline without any session', () => {
    expect(aggregatePresence(undefined, [])).toEqual({ availability: 'Offline', activity: 'Offline' });
  });

  it('ranks DoNotDisturb > Busy > Available > Away and takes the winner’s activity', () => {
    const away = session('Away', 'Away', 1);
    const available = session('Available', 'Available', 2);
    const busy = session('Busy', 'InAConferenceCall', 3);
    const dnd = session('DoNotDisturb', 'Presenting', 4);
    expect(aggregatePresence(undefined, [away, available])).toEqual({ availability: 'Available', activity: 'Available' });
    expect(aggregatePresence(undefined, [available, away])).toEqual({ availability: 'Available', activity: 'Available' });
    expect(aggregatePresence(undefined, [away, busy, available])).toEqual({ availability: 'Busy', activity: 'InAConferenceCall' });
    expect(aggregatePresence(undefined, [dnd, busy, available, away])).toEqual({ availability: 'DoNotDisturb', activity: 'Presenting' });
  });

  it('counts the Teams client as one more session', () => {
    const busyCall = session('Busy', 'InACall', 5);
    expect(aggregatePresence({ availability: 'DoNotDisturb', activity: 'DoNotDisturb', setAt: 1 }, [busyCall])).toEqual({
      availability: 'DoNotDisturb',
      activity: 'DoNotDisturb',
    });
    expect(aggregatePresence({ availability: 'Available', activity: 'Available', setAt: 9 }, [busyCall])).toEqual({
      availability: 'Busy',
      activity: 'InACall',
    });
    // An Offline client is no client: any app session beats it.
    expect(aggregatePresence({ availability: 'Offline', activity: 'Offline', setAt: 9 }, [session('Away', 'Away')])).toEqual({
      availability: 'Away',
      activity: 'Away',
    });
    // Without app sessions the client's state is answered as it is, whatever it is.
    expect(aggregatePresence({ availability: 'Away', activity: 'OutOfOffice', setAt: 0 }, [])).toEqual({
      availability: 'Away',
      activity: 'OutOfOffice',
    });
  });

  it('gives an equal availability to the most recently set session', () => {
    const client = { availability: 'Busy' as const, activity: 'InAMeeting' as const, setAt: 10 };
    expect(aggregatePresence(client, [session('Busy', 'InACall', 5)])).toEqual({ availability: 'Busy', activity: 'InAMeeting' });
    expect(aggregatePresence(client, [session('Busy', 'InACall', 20)])).toEqual({ availability: 'Busy', activity: 'InACall' });
  });
});

describe('AppPresenceSessions', () => {
  it('replaces a session set again, with a new expiry, and ends it when the clock reaches that expiry', () => {
    let clock = 1_000;
    const sessions = new AppPresenceSessions(() => clock);
    sessions.set('u1', APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);
    clock += 4 * MINUTE;
    sessions.set('u1', APP, { availability: 'Away', activity: 'Away' }, 5 * MINUTE);
    expect(sessions.liveOf('u1')).toEqual([
      { sessionId: APP, availability: 'Away', activity: 'Away', expiresAt: 1_000 + 9 * MINUTE, setAt: 1_000 + 4 * MINUTE },
    ]);
    clock = 1_000 + 9 * MINUTE - 1;
    expect(sessions.liveOf('u1')).toHaveLength(1);
    clock += 1;
    expect(sessions.liveOf('u1')).toEqual([]);
    // An expired session cannot be cleared: Graph has already ended it.
    expect(sessions.clear('u1', APP)).toBe(false);
  });

  it('clears one app’s session for one user only, once, and records the last write', () => {
    let clock = 50;
    const sessions = new AppPresenceSessions(() => clock);
    sessions.set('u1', APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);
    sessions.set('u1', 'app-2', { availability: 'Available', activity: 'Available' }, 5 * MINUTE);
    sessions.set('u2', APP, { availability: 'Away', activity: 'Away' }, 5 * MINUTE);
    expect(sessions.lastWriteOf('u1')).toEqual({
      action: 'setPresence',
      at: 50,
      sessionId: 'app-2',
      availability: 'Available',
      activity: 'Available',
      expiresAt: 50 + 5 * MINUTE,
    });
    clock = 70;
    expect(sessions.clear('u1', APP)).toBe(true);
    expect(sessions.clear('u1', APP)).toBe(false);
    expect(sessions.clear('u3', APP)).toBe(false);
    expect(sessions.lastWriteOf('u1')).toEqual({ action: 'clearPresence', at: 70, sessionId: APP });
    expect(sessions.liveOf('u1').map((s) => s.sessionId)).toEqual(['app-2']);
    expect(sessions.liveOf('u2').map((s) => s.sessionId)).toEqual([APP]);
    sessions.forgetWrites();
    expect(sessions.lastWriteOf('u1')).toBeUndefined();
    expect(sessions.liveOf('u1')).toHaveLength(1);
  });
});

describe('PresenceBoard with app sessions', () => {
  it('answers the aggregate, falls back to the client when the session expires, and counts writes', () => {
    let clock = 0;
    const board = new PresenceBoard({ requestsPerWindow: 10, windowMs: 1000 }, () => clock);
    board.set('u1', { availability: 'Available', activity: 'Available' });
    board.setAppSession('u1', APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);
    board.countWrite('setPresence', true);
    board.countWrite('clearPresence', false);
    expect(board.presenceOf('u1')).toEqual({ availability: 'Busy', activity: 'InACall' });
    expect(board.breakdownOf('u1')).toMatchObject({
      availability: 'Busy',
      activity: 'InACall',
      client: { availability: 'Available', activity: 'Available', setAt: 0 },
      sessions: [{ sessionId: APP, availability: 'Busy', activity: 'InACall', expiresAt: 5 * MINUTE }],
      lastWrite: { action: 'setPresence', at: 0 },
    });
    clock = 5 * MINUTE;
    expect(board.presenceOf('u1')).toEqual({ availability: 'Available', activity: 'Available' });
    expect(board.presenceOf('u2')).toEqual({ availability: 'Offline', activity: 'Offline' });
    expect(board.writeStats()).toEqual({ setPresence: 1, setPresenceRefused: 0, clearPresence: 0, clearPresenceRefused: 1 });
    board.reset();
    expect(board.writeStats()).toEqual({ setPresence: 0, setPresenceRefused: 0, clearPresence: 0, clearPresenceRefused: 0 });
    expect(board.breakdownOf('u1').lastWrite).toBeNull();

    board.setAppSession('u1', APP, { availability: 'Away', activity: 'Away' }, 5 * MINUTE);
    board.clear();
    expect(board.breakdownOf('u1')).toEqual({
      availability: 'Offline',
      activity: 'Offline',
      client: null,
      sessions: [],
      lastWrite: null,
    });
  });
});
