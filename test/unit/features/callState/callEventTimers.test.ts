import { describe, expect, it } from 'vitest';
import { callEventTimer, readCallTimer, reassertTimer } from '../../../../shared/features/callState/callEventTimers';

const AT = new Date('2027-01-04T09:00:01Z');
const EVENT_AT = new Date('2027-01-04T09:00:00Z');

describe('call event timers', () => {
  it('round-trip an event by PBX user id, or by number when that is all the event names', () => {
    const byId = callEventTimer({ pbxUserId: 'NzAw:x', extensionNumber: '101', state: 'onCall', at: EVENT_AT }, AT)!;
    expect(byId).toEqual({ subject: 'id:NzAw:x', key: `onCall:${EVENT_AT.getTime()}`, at: AT });
    expect(readCallTimer(byId)).toEqual({ kind: 'event', who: { pbxUserId: 'NzAw:x' }, state: 'onCall', eventAt: EVENT_AT.getTime() });
    const byNumber = callEventTimer({ extensionNumber: '101', state: 'idle', at: EVENT_AT }, AT)!;
    expect(readCallTimer(byNumber)).toEqual({ kind: 'event', who: { extensionNumber: '101' }, state: 'idle', eventAt: EVENT_AT.getTime() });
  });

  it('makes no timer for ringing, and reads re-assertions and nothing else', () => {
    expect(callEventTimer({ extensionNumber: '101', state: 'ringing', at: EVENT_AT }, AT)).toBeUndefined();
    expect(readCallTimer(reassertTimer('user-1', 42, AT))).toEqual({ kind: 'reassert', userId: 'user-1', eventAt: 42 });
    expect(readCallTimer({ subject: 'id:x', key: 'EqV45qApY39CHKAc4bIChK', at: AT })).toBeUndefined();
    expect(readCallTimer({ subject: 'who:x', key: 'onCall:1', at: AT })).toBeUndefined();
  });
});
