import { describe, expect, it } from 'vitest';
import { jwtExpiryMs, threeCxTokenLifetimeMs } from '../../../../shared/pbx/threecx/threeCxTokenLifetime';
import { jwtExpiringAt } from './fakeXapi';

const now = 1_700_000_000_000;
const answer = (expires_in: number | null, access_token = 'opaque-token') => ({ access_token, expires_in });

describe('threeCxTokenLifetimeMs', () => {
  it('reads expires_in as seconds on 20.0.9 and later, and while the version is unknown', () => {
    expect(threeCxTokenLifetimeMs(answer(3600), '20.0.10.818', now)).toBe(3_600_000);
    expect(threeCxTokenLifetimeMs(answer(60), '20.0.9.995', now)).toBe(60_000);
    expect(threeCxTokenLifetimeMs(answer(60), undefined, now)).toBe(60_000);
  });

  it('reads a value of at most 120 as minutes on a PBX older than 20.0.9', () => {
    expect(threeCxTokenLifetimeMs(answer(60), '20.0.8.123', now)).toBe(3_600_000);
    expect(threeCxTokenLifetimeMs(answer(120), '20.0.5', now)).toBe(7_200_000);
    expect(threeCxTokenLifetimeMs(answer(3600), '20.0.8.123', now)).toBe(3_600_000);
  });

  it("prefers the JWT's exp, and falls back to 60 minutes when nothing is given", () => {
    expect(threeCxTokenLifetimeMs(answer(3600, jwtExpiringAt(now / 1000 + 900)), '20.0.10', now)).toBe(900_000);
    expect(threeCxTokenLifetimeMs(answer(null), '20.0.10', now)).toBe(3_600_000);
    // An exp already past (clock skew) is ignored in favour of expires_in.
    expect(threeCxTokenLifetimeMs(answer(600, jwtExpiringAt(now / 1000 - 10)), '20.0.10', now)).toBe(600_000);
  });

  it('reads exp only from a three-part token with a numeric exp', () => {
    expect(jwtExpiryMs(jwtExpiringAt(2_000_000_000))).toBe(2_000_000_000_000);
    expect(jwtExpiryMs('not-a-jwt')).toBeUndefined();
    expect(jwtExpiryMs('a.%%%.c')).toBeUndefined();
  });
});
