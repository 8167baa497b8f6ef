import { type CallPresence } from '../../engine/PresenceRecord';
import { type CallStateOptions } from './callStateOptions';

/** What to do in Teams, and the call record to keep (it may change even when Teams does not: see `keep`). */
export interface CallDecision {
  /**
   * `set`: (re)assert the app's Busy / In a call session; `clear`: end it; `keep`: nothing in Teams; `askPbx`: the
   * event cannot be ordered against the last one (the same second, the other state) — the PBX's own call status
   * decides (decideByPbx).
   */
  action: 'set' | 'clear' | 'keep' | 'askPbx';
  call: CallPresence | undefined;
  why: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One PBX call event against what was applied before. Events come at least once and in any order, so the PBX's
 * time decides: an event older than the last one applied changes nothing and a repeat changes nothing. A start
 * and an end with the same time (PortSIP's times are whole seconds: a call ended and the next one begun within
 * a second, or an end that overtook its start) cannot be ordered: the PBX is asked what it shows now, and
 * without a way to ask the end wins — nobody is left busy. An end is remembered even when nothing was set, for
 * the start that may still be on its way.
 */
export function decideCallEvent(
  current: CallPresence | undefined,
  event: { state: 'onCall' | 'idle'; eventAt: number },
  now: Date,
  options: Pick<CallStateOptions, 'sessionMinutes' | 'maxCallHours'>,
): CallDecision {
  const last = current ? Date.parse(current.eventAt) : Number.NEGATIVE_INFINITY;
  if (event.eventAt < last) return { action: 'keep', call: current, why: 'older than the last event applied' };
  if (event.eventAt === last) {
    const repeat = (event.state === 'onCall') === Boolean(current?.active);
    return repeat
      ? { action: 'keep', call: current, why: 'a repeat' }
      : { action: 'askPbx', call: current, why: 'a start and an end in the same second' };
  }
  if (event.state === 'idle') {
    const call = { active: false, eventAt: iso(event.eventAt) };
    return current?.active ? { action: 'clear', call, why: 'the call ended' } : { action: 'keep', call, why: 'no call was shown' };
  }
  if (now.getTime() - event.eventAt >= options.maxCallHours * 3_600_000)
    return {
      action: 'keep',
      call: { active: false, eventAt: iso(event.eventAt) },
      why: `a call start older than ${options.maxCallHours} h`,
    };
  return {
    action: 'set',
    call: { active: true, eventAt: iso(event.eventAt), sessionUntil: iso(now.getTime() + options.sessionMinutes * 60_000) },
    why: current?.active ? 'the call goes on (a new start)' : 'a call started',
  };
}

/**
 * A running call's session is about to end at Graph: set it again while the PBX still shows the call, end it when
 * the PBX shows none (the call's end event was lost) or the call has lasted `maxCallHours`. `onPbx` is undefined
 * when the PBX cannot say: then the session is left to expire by itself.
 */
export function decideReassert(
  current: CallPresence | undefined,
  eventAt: number,
  onPbx: 'onCall' | 'idle' | 'unknown' | undefined,
  now: Date,
  options: Pick<CallStateOptions, 'sessionMinutes' | 'maxCallHours'>,
): CallDecision {
  if (!current?.active || Date.parse(current.eventAt) !== eventAt) return { action: 'keep', call: current, why: 'another event since' };
  if (now.getTime() - eventAt >= options.maxCallHours * 3_600_000)
    return { action: 'clear', call: { active: false, eventAt: current.eventAt }, why: `the call has lasted ${options.maxCallHours} h` };
  if (onPbx === undefined) return { action: 'keep', call: current, why: 'the PBX cannot tell; the session expires by itself' };
  if (onPbx !== 'onCall')
    return { action: 'clear', call: { active: false, eventAt: current.eventAt }, why: 'the PBX shows no call (its end was lost)' };
  return {
    action: 'set',
    call: { ...current, sessionUntil: iso(now.getTime() + options.sessionMinutes * 60_000) },
    why: 'the call goes on',
  };
}

/**
 * The PBX's call status settles an event `decideCallEvent` could not order. `undefined` (the PBX cannot say):
 * the end wins.
 */
export function decideByPbx(
  current: CallPresence | undefined,
  eventAt: number,
  onPbx: 'onCall' | 'idle' | 'unknown' | undefined,
  now: Date,
  options: Pick<CallStateOptions, 'sessionMinutes'>,
): CallDecision {
  const at = iso(eventAt);
  if (onPbx === 'onCall')
    return {
      action: 'set',
      call: { active: true, eventAt: at, sessionUntil: iso(now.getTime() + options.sessionMinutes * 60_000) },
      why: 'the PBX shows a call (a start and an end in the same second)',
    };
  const call = { active: false, eventAt: at };
  const why =
    onPbx === undefined
      ? 'a start and an end in the same second: the end wins'
      : 'the PBX shows no call (a start and an end in the same second)';
  return current?.active ? { action: 'clear', call, why } : { action: 'keep', call, why };
}
