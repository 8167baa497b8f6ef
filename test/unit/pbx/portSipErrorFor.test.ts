import { describe, expect, it } from 'vitest';
import { portSipErrorFor } from '../../../shared/pbx/portsip/portSipErrorFor';

const body = (code: string, message: string, detail?: unknown) => ({
  errors: [{ code, message, ...(detail === undefined ? {} : { detail }) }],
});

describe('portSipErrorFor', () => {
  it.each([
    [400, body('VALIDATE_FAILED', 'email: must be an email address'), 'INVALID'],
    [400, body('VALIDATE_FAILED', 'The extension number 1000 is already in use', { field: 'extension_number' }), 'CONFLICT'],
    [400, body('UNAUTHORIZED', 'Login failed, authentication error'), 'UNAUTHORIZED'],
    [401, body('UNAUTHORIZED', 'Unauthorized'), 'UNAUTHORIZED'],
    [403, body('UNKNOWN', 'Permission denied'), 'FORBIDDEN'],
    [404, body('NOT_FOUND', 'The user does not exist'), 'NOT_FOUND'],
    [409, body('UNKNOWN', 'Conflict'), 'CONFLICT'],
    [429, body('TOO_MANY_REQUESTS', 'slow down'), 'THROTTLED'],
    [429, undefined, 'THROTTLED'],
    [500, body('UNKNOWN', 'boom'), 'TRANSIENT'],
    [502, '<html>Bad Gateway</html>', 'TRANSIENT'],
    [503, 'Service Unavailable', 'TRANSIENT'],
    [408, undefined, 'TRANSIENT'],
    [400, 'not json', 'INVALID'],
  ] as const)('maps %i %j to %s', (status, payload, code) => {
    const err = portSipErrorFor(status, payload, 'creating extension 1000', { retryAfterMs: 2000 });
    expect(err.code).toBe(code);
    expect(err.upstreamStatus).toBe(status);
  });

  // ⚠ PortSIP documents no wording; these are the phrasings the heuristic accepts.
  it.each([
    'The extension number 1001 is already in use',
    'Extension number already exists',
    'name has already been taken',
    'The name kim is already used',
    'duplicate extension_number',
    'Extension number is in use',
    'extension_number must be unique: not unique',
  ])('reads %j as CONFLICT', (message) => {
    expect(portSipErrorFor(400, body('VALIDATE_FAILED', message), 'x').code).toBe('CONFLICT');
  });

  it('also reads the detail', () => {
    expect(portSipErrorFor(400, body('VALIDATE_FAILED', 'Invalid parameter', 'extension_number already exists'), 'x').code).toBe(
      'CONFLICT',
    );
  });

  it.each([
    'The extension number does not exist',
    'display_name: too long',
    'The role Boss does not exist',
    'password must not contain sequential characters',
  ])('keeps %j as INVALID', (message) => {
    expect(portSipErrorFor(400, body('VALIDATE_FAILED', message), 'x').code).toBe('INVALID');
  });

  it('keeps PortSIP’s status, code, message and detail', () => {
    const err = portSipErrorFor(400, body('VALIDATE_FAILED', 'display_name: too long', { field: 'display_name' }), 'updating user 7');
    expect(err.message).toBe('updating user 7: PortSIP answered 400 VALIDATE_FAILED (display_name: too long)');
    expect(err.upstreamCode).toBe('VALIDATE_FAILED');
    expect(err.details).toEqual({ field: 'display_name' });
  });

  it('gives retryAfterMs only to throttling and transient failures', () => {
    expect(portSipErrorFor(429, undefined, 'x', { retryAfterMs: 1500 }).retryAfterMs).toBe(1500);
    expect(portSipErrorFor(503, undefined, 'x', { retryAfterMs: 1500 }).retryAfterMs).toBe(1500);
    expect(portSipErrorFor(400, undefined, 'x', { retryAfterMs: 1500 }).retryAfterMs).toBeUndefined();
  });

  it('never repeats a password PortSIP echoes back', () => {
    const err = portSipErrorFor(
      400,
      body('VALIDATE_FAILED', 'password Xy7!kQ2#mZ9$ is too weak', { field: 'password', value: 'Xy7!kQ2#mZ9$' }),
      'creating extension 1001',
      { secrets: ['Xy7!kQ2#mZ9$'] },
    );
    expect(err.message).not.toContain('Xy7!kQ2#mZ9$');
    expect(JSON.stringify(err.details)).not.toContain('Xy7!kQ2#mZ9$');
    expect(err.message).toContain('password *** is too weak');
  });

  it('does not copy an HTML error page into the message', () => {
    expect(portSipErrorFor(502, '<html>Bad Gateway</html>', 'reading user 7').message).toBe('reading user 7: PortSIP answered 502');
  });
});
