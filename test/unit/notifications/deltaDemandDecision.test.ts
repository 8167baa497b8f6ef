import { describe, expect, it } from 'vitest';
import { decideOnJobStart, decideOnRequest } from '../../../shared/notifications/deltaDemandDecision';
import { type DeltaDemandState } from '../../../shared/notifications/DeltaDemandStore';

const now = new Date('2026-11-23T12:00:00.000Z');
const STALE = 60_000;
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const pending = (generation: number, since: string): DeltaDemandState => ({
  epoch: '0a0b0c0d',
  generation,
  pending: true,
  pendingSince: since,
});
const idle = (generation: number): DeltaDemandState => ({ epoch: '0a0b0c0d', generation, pending: false });

describe('decideOnRequest', () => {
  it('no row yet: claims generation 1 under a new epoch', () => {
    expect(decideOnRequest(null, now, STALE, 'feedbeef')).toEqual({
      kind: 'claim',
      next: { epoch: 'feedbeef', generation: 1, pending: true, pendingSince: now.toISOString() },
      onSendFailed: { epoch: 'feedbeef', generation: 1, pending: false, pendingSince: undefined },
    });
  });

  it('nothing pending: claims the next generation and keeps the epoch', () => {
    const decision = decideOnRequest(idle(41), now, STALE, 'feedbeef');
    expect(decision).toMatchObject({ kind: 'claim', next: { epoch: '0a0b0c0d', generation: 42, pending: true } });
  });

  it('a job pending and not started: the request is covered by it', () => {
    expect(decideOnRequest(pending(7, ago(0)), now, STALE, 'feedbeef')).toEqual({ kind: 'covered' });
    expect(decideOnRequest(pending(7, ago(STALE - 1)), now, STALE, 'feedbeef')).toEqual({ kind: 'covered' });
    // Another instance's clock a little ahead.
    expect(decideOnRequest(pending(7, ago(-5_000)), now, STALE, 'feedbeef')).toEqual({ kind: 'covered' });
  });

  it('a pending job that has not started within the bound: the same generation is re-sent and the clock restarts', () => {
    const stale = pending(7, ago(STALE));
    expect(decideOnRequest(stale, now, STALE, 'feedbeef')).toEqual({
      kind: 'resend',
      next: { ...stale, pendingSince: now.toISOString() },
      onSendFailed: stale,
    });
  });

  it('a pendingSince that cannot be read, or lies far in the future, counts as stale (it must not hold forever)', () => {
    expect(decideOnRequest({ ...pending(3, ''), pendingSince: undefined }, now, STALE, 'x').kind).toBe('resend');
    expect(decideOnRequest(pending(3, 'garbage'), now, STALE, 'x').kind).toBe('resend');
    expect(decideOnRequest(pending(3, ago(-2 * STALE)), now, STALE, 'x').kind).toBe('resend');
  });

  it('a failed send gives back the pending state but never the generation', () => {
    const decision = decideOnRequest(idle(5), now, STALE, 'x');
    expect(decision.kind === 'claim' && decision.onSendFailed).toEqual({
      epoch: '0a0b0c0d',
      generation: 6,
      pending: false,
      pendingSince: undefined,
    });
  });
});

describe('decideOnJobStart', () => {
  const job = { epoch: '0a0b0c0d', generation: 7 };

  it('clears pending for the job of the pending generation', () => {
    expect(decideOnJobStart(pending(7, ago(10)), job)).toEqual({ ...idle(7), pendingSince: undefined });
  });

  it('leaves a newer pending generation alone (a redelivered or re-sent older job)', () => {
    expect(decideOnJobStart(pending(8, ago(10)), job)).toBeUndefined();
  });

  it('nothing to do when nothing is pending, the row is gone, or it was re-created (another epoch)', () => {
    expect(decideOnJobStart(idle(7), job)).toBeUndefined();
    expect(decideOnJobStart(null, job)).toBeUndefined();
    expect(decideOnJobStart({ ...pending(7, ago(10)), epoch: 'ffffffff' }, job)).toBeUndefined();
  });
});
