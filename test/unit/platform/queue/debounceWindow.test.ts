import { describe, expect, it } from 'vitest';
import { debouncedDeltaMessage } from '../../../../shared/app/jobs/debounceWindow';

const windowMs = 30_000;
const windowStart = Date.UTC(2025, 0, 1, 12, 0, 0); // a multiple of 30 s

describe('debouncedDeltaMessage', () => {
  it('names the window that starts exactly now and delivers at its end', () => {
    expect(debouncedDeltaMessage('contoso', 'users', new Date(windowStart), windowMs)).toEqual({
      messageId: `delta:contoso:users:${windowStart}`,
      scheduledEnqueueTime: new Date(windowStart + windowMs),
    });
  });

  it('gives every instant of one window the same message', () => {
    const first = debouncedDeltaMessage('contoso', 'users', new Date(windowStart + 1), windowMs);
    const last = debouncedDeltaMessage('contoso', 'users', new Date(windowStart + windowMs - 1), windowMs);
    expect(last).toEqual(first);
    expect(first.messageId).toBe(`delta:contoso:users:${windowStart}`);
  });

  it('moves to the next window at the window end', () => {
    const next = debouncedDeltaMessage('contoso', 'users', new Date(windowStart + windowMs), windowMs);
    expect(next.messageId).toBe(`delta:contoso:users:${windowStart + windowMs}`);
    expect(next.scheduledEnqueueTime.getTime()).toBe(windowStart + 2 * windowMs);
  });

  it('keeps tenants apart', () => {
    const now = new Date(windowStart + 5);
    expect(debouncedDeltaMessage('fabrikam', 'users', now, windowMs).messageId).not.toBe(
      debouncedDeltaMessage('contoso', 'users', now, windowMs).messageId,
    );
  });

  it('rejects a window that is not a positive whole number of milliseconds', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => debouncedDeltaMessage('contoso', 'users', new Date(windowStart), bad)).toThrow(
        expect.objectContaining({ code: 'CONFIG' }),
      );
    }
  });
});
