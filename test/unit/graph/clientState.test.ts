import { describe, expect, it } from 'vitest';
import { clientStateHash, clientStateMatches, newClientState } from '../../../shared/graph/clientState';

describe('clientState', () => {
  it("is fresh, random and within Graph's 128 characters", () => {
    const a = newClientState();
    const b = newClientState();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches only the value it was hashed from', () => {
    const state = newClientState();
    const hash = clientStateHash(state);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(clientStateMatches(state, hash)).toBe(true);
    expect(clientStateMatches(`${state}x`, hash)).toBe(false);
    expect(clientStateMatches(state.slice(1), hash)).toBe(false);
    expect(clientStateMatches('', hash)).toBe(false);
    expect(clientStateMatches(null, hash)).toBe(false);
    expect(clientStateMatches(undefined, hash)).toBe(false);
  });

  it('never matches a missing clientState, even against the hash of ""', () => {
    expect(clientStateMatches(null, clientStateHash(''))).toBe(false);
    expect(clientStateMatches('', clientStateHash(''))).toBe(true);
  });

  it('refuses a malformed stored hash instead of throwing', () => {
    expect(clientStateMatches('x', 'abc')).toBe(false);
  });
});
