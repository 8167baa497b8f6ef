import { describe, expect, it } from 'vitest';
import { isEmailAllowed } from '../../../shared/pbx/ports/isEmailAllowed';

describe('isEmailAllowed', () => {
  it('checks the length, and an empty address against whether one is required', () => {
    const rule = { required: true, maxLength: 16 };
    expect(isEmailAllowed('kim@contoso.com', rule)).toBe(true);
    expect(isEmailAllowed('kimberly@contoso.com', rule)).toBe(false);
    expect(isEmailAllowed('', rule)).toBe(false);
    expect(isEmailAllowed('', { ...rule, required: false })).toBe(true);
  });
});
