import { describe, expect, it } from 'vitest';
import { debounceWindowStart } from '../../../../shared/app/jobs/debounceWindow';

const windowMs = 30_000;
const windowStart = Date.UTC(2025, 0, 1, 12, 0, 0); // a multiple of 30 s

describe('debounceWindowStart', () => {
  it('gives every instant of one window the same start, and moves on at its end', () => {
    expect(debounceWindowStart(new Date(windowStart), windowMs)).toBe(windowStart);
    expect(debounceWindowStart(new Date(windowStart + windowMs - 1), windowMs)).toBe(windowStart);
    expect(debounceWindowStart(new Date(windowStart + windowMs), windowMs)).toBe(windowStart + windowMs);
  });
});
