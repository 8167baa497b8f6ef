import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import {
  CALLER_ID_REJECTED,
  CONNECTOR_CALLER_ID_MARK,
  callerIdRefusal,
  ourCallerId,
  withOurCallerId,
} from '../../../shared/pbx/portsip/outboundCallerIds';

const mine = (caller_id: string, provider_id = 'trunk-1', preferred = true) => ({
  provider_id,
  caller_id,
  preferred,
  description: CONNECTOR_CALLER_ID_MARK,
});
const admins = {
  provider_id: 'trunk-2',
  caller_id: '+18005550100',
  preferred: false,
  description: 'Support line',
  display_name: 'Support',
};
const wanted = (callerId: string, providerId = 'trunk-1') => ({ providerId, callerId });

describe('our entry in outbound_caller_ids', () => {
  it('adds ours to an empty list, preferred', () => {
    expect(withOurCallerId([], wanted('+14255550100'))).toEqual([mine('+14255550100')]);
  });

  it("adds ours after an admin's entry, not preferred when theirs is", () => {
    expect(withOurCallerId([{ ...admins, preferred: true }], wanted('+14255550100'))).toEqual([
      { ...admins, preferred: true },
      mine('+14255550100', 'trunk-1', false),
    ]);
  });

  it('replaces ours in place and keeps every other entry (and unknown fields) as it was', () => {
    const before = [mine('+14255550100'), admins];
    expect(withOurCallerId(before, wanted('+12065550199'))).toEqual([mine('+12065550199'), admins]);
    // moved to another provider when the option names another trunk
    expect(withOurCallerId(before, wanted('+14255550100', 'trunk-3'))).toEqual([mine('+14255550100', 'trunk-3'), admins]);
  });

  it('removes only ours', () => {
    expect(withOurCallerId([admins, mine('+14255550100')], null)).toEqual([admins]);
  });

  it('answers undefined when nothing would change (no write)', () => {
    expect(withOurCallerId([admins, mine('+14255550100')], wanted('+14255550100'))).toBeUndefined();
    expect(withOurCallerId([admins], null)).toBeUndefined();
    expect(withOurCallerId([], null)).toBeUndefined();
  });

  it("does not add a duplicate of an admin's own entry for the same number and trunk, nor remove it later", () => {
    const theirs = { provider_id: 'trunk-1', caller_id: '+14255550100', description: 'front desk' };
    expect(withOurCallerId([theirs], wanted('+14255550100'))).toBeUndefined();
    expect(withOurCallerId([theirs, mine('+14255550100')], wanted('+14255550100'))).toEqual([theirs]);
    expect(withOurCallerId([theirs], null)).toBeUndefined();
  });

  it('an entry whose marker an admin changed is theirs; ours is added beside it', () => {
    const taken = { ...mine('+14255550100'), description: 'mine now' };
    expect(withOurCallerId([taken], wanted('+12065550199'))).toEqual([taken, mine('+12065550199', 'trunk-1', false)]);
  });

  it('collapses duplicates of ours into one', () => {
    expect(withOurCallerId([mine('+1'), admins, mine('+2')], wanted('+14255550100'))).toEqual([mine('+14255550100'), admins]);
  });

  it('reads ours back', () => {
    expect(ourCallerId([admins, mine('+14255550100')])).toEqual(wanted('+14255550100'));
    expect(ourCallerId([admins])).toBeNull();
  });
});

describe('callerIdRefusal', () => {
  const refused = new AppError(
    'INVALID',
    'updating user u1: PortSIP answered 400 VALIDATE_FAILED (outbound_caller_ids.0.caller_id: not a DID)',
    {
      upstreamStatus: 400,
      upstreamCode: 'VALIDATE_FAILED',
    },
  );

  it('turns a refused caller ID into a per-user error with a stable code and a clear message', () => {
    const err = callerIdRefusal(refused, wanted('+14255550100'));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'INVALID', upstreamCode: CALLER_ID_REJECTED, upstreamStatus: 400 });
    expect((err as AppError).message).toMatch(/refused \+14255550100 as outbound caller ID on provider trunk-1: .*DIDs/);
  });

  it('leaves other errors alone', () => {
    const other = new AppError('INVALID', 'PortSIP answered 400 VALIDATE_FAILED (email: must be an email address)');
    expect(callerIdRefusal(other, wanted('+1'))).toBe(other);
    expect(callerIdRefusal(refused, null)).toBe(refused);
    const transient = new AppError('TRANSIENT', 'caller id 503');
    expect(callerIdRefusal(transient, wanted('+1'))).toBe(transient);
  });
});
