import { describe, expect, it } from 'vitest';
import { threeCxErrorFor } from '../../../../shared/pbx/threecx/threeCxErrorFor';

const envelope = (code: string, message: string, details: object[] = []) => ({ error: { code, message, details } });

describe('threeCxErrorFor', () => {
  it('maps ALREADY_IN_USE to CONFLICT with the target, from details or from the message', () => {
    const fromDetails = threeCxErrorFor(
      400,
      envelope('', 'x', [{ code: 'WARNINGS.XAPI.ALREADY_IN_USE', message: 'Number:\nWARNINGS.XAPI.ALREADY_IN_USE', target: 'Number' }]),
      'creating extension 101',
    );
    expect(fromDetails).toMatchObject({ code: 'CONFLICT', details: { target: 'Number' }, upstreamStatus: 400 });
    const fromMessage = threeCxErrorFor(400, envelope('', 'EmailAddress:\nWARNINGS.XAPI.ALREADY_IN_USE'), 'creating');
    expect(fromMessage).toMatchObject({ code: 'CONFLICT', details: { target: 'EmailAddress' } });
  });

  it('maps NOT_FOUND (by status or by code), other 400s, 401, 403, 429 and 5xx', () => {
    expect(threeCxErrorFor(404, undefined, 'x').code).toBe('NOT_FOUND');
    expect(threeCxErrorFor(400, envelope('WARNINGS.XAPI.NOT_FOUND', 'Id'), 'x').code).toBe('NOT_FOUND');
    expect(threeCxErrorFor(400, "The limit of '100' for Top query has been exceeded", 'x')).toMatchObject({
      code: 'INVALID',
      message: "x: 3CX answered 400 (The limit of '100' for Top query has been exceeded)",
    });
    expect(threeCxErrorFor(401, undefined, 'x').message).toContain('3CX API client id and secret');
    const forbidden = threeCxErrorFor(403, envelope('Forbidden', 'role'), 'x');
    expect(forbidden.code).toBe('FORBIDDEN');
    expect(forbidden.message).toContain('System Owner');
    expect(threeCxErrorFor(429, undefined, 'x', { retryAfterMs: 2000 })).toMatchObject({ code: 'THROTTLED', retryAfterMs: 2000 });
    expect(threeCxErrorFor(502, undefined, 'x').code).toBe('TRANSIENT');
  });

  it('never repeats a secret, and keeps only codes and targets of the details', () => {
    const err = threeCxErrorFor(
      400,
      envelope('INVALID', 'AuthPassword SIP-AUTH-PASSWORD-1 rejected for client-secret-x', [
        { code: 'BAD', message: 'SIP-AUTH-PASSWORD-1', target: 'AuthPassword' },
      ]),
      'updating',
      { secrets: ['client-secret-x', 'SIP-AUTH-PASSWORD-1'] },
    );
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toMatch(/client-secret-x|SIP-AUTH-PASSWORD-1/);
    expect(err.details).toEqual([{ code: 'BAD', target: 'AuthPassword' }]);
  });
});
