import { type DeltaDemandGeneration } from '../app/jobs/deltaDemandJobId';
import { type DeltaDemandState } from './DeltaDemandStore';

/**
 * What a request for a delta (a notification, `missed`, a catch-up, a link event) does with the demand row:
 * - `covered`: a job is pending and has not started, so its round (which starts reading after it clears
 *   `pending`) includes the change that asked; nothing to do;
 * - `claim`: no job is pending: write the next generation as pending, then enqueue its job;
 * - `resend`: the pending job has not started for `staleAfterMs` — its enqueue may have been lost (the
 *   process died between the write and the send): re-send the same generation's message (the queue drops it
 *   when it exists) and restart the clock, so one instance re-sends once per `staleAfterMs`.
 * `onSendFailed` is what to write back when the send fails, so Graph's retry of the batch asks again instead of
 * finding a pending job that was never queued.
 */
export type DemandDecision = { kind: 'covered' } | { kind: 'claim' | 'resend'; next: DeltaDemandState; onSendFailed: DeltaDemandState };

export function decideOnRequest(current: DeltaDemandState | null, now: Date, staleAfterMs: number, newEpoch: string): DemandDecision {
  const at = now.toISOString();
  if (current?.pending) {
    const age = now.getTime() - Date.parse(current.pendingSince ?? '');
    // A clock far ahead on another instance (or a broken value) must not keep it fresh forever either.
    if (Math.abs(age) < staleAfterMs) return { kind: 'covered' };
    return { kind: 'resend', next: { ...current, pendingSince: at }, onSendFailed: current };
  }
  const next: DeltaDemandState = {
    epoch: current?.epoch ?? newEpoch,
    generation: (current?.generation ?? 0) + 1,
    pending: true,
    pendingSince: at,
  };
  // The generation is never given back: its id may be at the queue even if the send reported a failure.
  return { kind: 'claim', next, onSendFailed: { ...next, pending: false, pendingSince: undefined } };
}

/**
 * What the worker writes when the job of `job` is about to start its round: `pending` cleared, but only when
 * the row is still pending for this very generation (a redelivered or re-sent older job leaves a newer pending
 * generation alone). Undefined: nothing to write.
 */
export function decideOnJobStart(current: DeltaDemandState | null, job: DeltaDemandGeneration): DeltaDemandState | undefined {
  if (!current?.pending || current.epoch !== job.epoch || current.generation !== job.generation) return undefined;
  return { ...current, pending: false, pendingSince: undefined };
}
