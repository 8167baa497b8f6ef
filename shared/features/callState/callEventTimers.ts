import { type PbxCallEvent } from '../../pbx/ports/PbxCallEvent';
import { type FeatureTimer } from '../Feature';

/**
 * A call event travels as a feature timer: the subject names the extension (`id:<PBX user id>` or
 * `ext:<number>`), the key says what happened and when the PBX says it did (`onCall:<ms>`, `idle:<ms>`), and it
 * is due at once. A re-assertion of a running call's Teams session is a timer `reassert:<ms of the call's start>`.
 */
export type CallTimer =
  | { kind: 'event'; who: { pbxUserId?: string; extensionNumber?: string }; state: 'onCall' | 'idle'; eventAt: number }
  | { kind: 'reassert'; userId: string; eventAt: number };

export function callEventTimer(event: PbxCallEvent, arrivedAt: Date): FeatureTimer | undefined {
  // Ringing changes nothing in Teams: colleagues should not see "in a call" for a call nobody answered.
  if (event.state === 'ringing') return undefined;
  const subject = event.pbxUserId ? `id:${event.pbxUserId}` : `ext:${event.extensionNumber!}`;
  return { subject, key: `${event.state}:${event.at.getTime()}`, at: arrivedAt };
}

export function reassertTimer(userId: string, eventAt: number, at: Date): FeatureTimer {
  return { subject: userId, key: `reassert:${eventAt}`, at };
}

export function readCallTimer(timer: FeatureTimer): CallTimer | undefined {
  const [kind, ms] = timer.key.split(':');
  const eventAt = Number(ms);
  if (!Number.isSafeInteger(eventAt)) return undefined;
  if (kind === 'reassert') return { kind, userId: timer.subject, eventAt };
  if (kind !== 'onCall' && kind !== 'idle') return undefined;
  const [by, ...rest] = timer.subject.split(':');
  const value = rest.join(':');
  if (!value) return undefined;
  if (by === 'id') return { kind: 'event', who: { pbxUserId: value }, state: kind, eventAt };
  if (by === 'ext') return { kind: 'event', who: { extensionNumber: value }, state: kind, eventAt };
  return undefined;
}
