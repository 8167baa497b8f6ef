import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/core/errors/AppError';
import { decodeRunChangeToken, encodeRunChangeToken } from '../../../shared/engine/runChangeToken';
import { newRunId } from '../../../shared/engine/newRunId';
import { runIdTime } from '../../../shared/engine/runIdTime';

const key = '1767225600000-0a1b2c3d-00000042';

describe('run change continuation tokens', () => {
  it('round-trip a key, as URL-safe text that does not show it', () => {
    const token = encodeRunChangeToken(key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain(key);
    expect(decodeRunChangeToken(token)).toBe(key);
  });

  it('refuse anything this API did not hand out, with INVALID naming the parameter', () => {
    const forged = [
      'not a token',
      'x'.repeat(500),
      Buffer.from(key).toString('base64url'), // no version
      Buffer.from(`c1.${key}|x`).toString('base64url'),
      Buffer.from("c1.' or 1 eq 1").toString('base64url'),
      '',
    ];
    for (const token of forged) {
      let caught: unknown;
      try {
        decodeRunChangeToken(token);
      } catch (err) {
        caught = err;
      }
      expect(isAppError(caught, 'INVALID')).toBe(true);
      expect((caught as Error).message).toContain('continuationToken');
    }
  });
});

describe('runIdTime', () => {
  it('reads the queue time back from a run id', () => {
    const at = new Date('2026-02-03T04:05:06.789Z');
    expect(runIdTime(newRunId(at))?.toISOString()).toBe(at.toISOString());
    expect(runIdTime('nope')).toBeUndefined();
  });
});
