import { describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../../../shared/core/errors/AppError';
import { parseRunChangeQuery } from '../../../shared/engine/parseRunChangeQuery';
import { encodeRunChangeToken } from '../../../shared/engine/runChangeToken';

const parse = (query: string) => parseRunChangeQuery(new URLSearchParams(query));

function invalid(query: string): AppError {
  try {
    parse(query);
  } catch (err) {
    if (isAppError(err, 'INVALID')) return err;
    throw err;
  }
  throw new Error(`expected ${query} to be refused`);
}

describe('parseRunChangeQuery', () => {
  it('defaults to the first 100 items, unfiltered', () => {
    expect(parse('')).toEqual({ limit: 100, after: undefined, outcomes: undefined, feature: undefined, q: undefined });
  });

  it('reads limit, continuation, comma-listed (or repeated) outcomes, feature and q', () => {
    const key = '1767225600000-0a1b2c3d-00000007';
    const query = parse(
      `limit=500&continuationToken=${encodeRunChangeToken(key)}&outcome=created,failed&outcome=updated,created&feature=users&q=%20Ada%20`,
    );
    expect(query).toEqual({ limit: 500, after: key, outcomes: ['created', 'failed', 'updated'], feature: 'users', q: 'Ada' });
  });

  it('treats empty filters as no filter', () => {
    expect(parse('outcome=&feature=&q=&continuationToken=')).toMatchObject({ outcomes: undefined, feature: undefined, q: undefined });
    expect(parse('outcome=created,,')).toMatchObject({ outcomes: ['created'] });
  });

  it('refuses bad values with a message naming the parameter', () => {
    for (const limit of ['0', '501', '-1', '1.5', 'ten', '', '00000000001'])
      expect(invalid(`limit=${limit}`).message).toBe('query parameter limit must be an integer from 1 to 500');
    const outcome = invalid('outcome=created,exploded').message;
    expect(outcome).toContain('unknown outcome "exploded"');
    expect(outcome).toContain('created, updated, adopted');
    expect(invalid('feature=Users!').message).toContain('query parameter feature');
    expect(invalid(`q=${'x'.repeat(201)}`).message).toContain('query parameter q');
    expect(invalid('continuationToken=abc').message).toContain('continuationToken');
  });
});
