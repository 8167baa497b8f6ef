import { describe, expect, it } from 'vitest';
import { portSipErrorFor } from '../../../shared/pbx/portsip/portSipErrorFor';

const body = (code: string, message: string) => ({ errors: [{ code, message }] });

describe('portSipErrorFor', () => {
  it.each([
    [400, body('VALIDATE_FAILED', 'email: must be an email address'), 'INVALID'],
    [400, body('VALIDATE_FAILED', 'The extension number 1000 is already in use'), 'CONFLICT'],
    [401, body('UNAUTHORIZED', 'Unauthorized'), 'UNAUTHORIZED'],
    [404, body('NOT_FOUND', 'nope'), 'NOT_FOUND'],
    [429, body('TOO_MANY_REQUESTS', 'slow down'), 'THROTTLED'],
    [503, 'Service Unavailable', 'TRANSIENT'],
  ] as const)('maps %i %j to %s', (status, payload, code) => {
    const err = portSipErrorFor(status, payload, 'creating extension 1000', 2000);
    expect(err.code).toBe(code);
    expect(err.upstreamStatus).toBe(status);
  });

  it('keeps PortSIP’s message and code but never more than the body said', () => {
    const err = portSipErrorFor(400, body('VALIDATE_FAILED', 'display_name: too long'), 'updating user 7');
    expect(err.message).toBe('updating user 7: PortSIP answered 400 VALIDATE_FAILED (display_name: too long)');
    expect(err.upstreamCode).toBe('VALIDATE_FAILED');
  });
});
