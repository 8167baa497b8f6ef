import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { parseUsersDeltaPage } from '../../../shared/graph/parseUsersDeltaPage';

const NEXT = 'https://graph.microsoft.com/v1.0/users/delta?$skiptoken=abc';
const DELTA = 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=xyz';

function internalError(body: unknown): AppError {
  try {
    parseUsersDeltaPage(body);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected parseUsersDeltaPage to throw');
}

describe('parseUsersDeltaPage', () => {
  it('splits users and removed users and keeps the nextLink', () => {
    const page = parseUsersDeltaPage({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
      value: [
        {
          id: 'u1',
          displayName: 'Anna',
          accountEnabled: false,
          userType: 'Guest',
          businessPhones: [],
          onPremisesExtensionAttributes: { extensionAttribute1: '2001' },
        },
        { '@odata.type': '#microsoft.graph.user', id: 'u2', '@removed': { reason: 'changed' } },
        { id: 'u3', '@removed': { reason: 'deleted' } },
      ],
      '@odata.nextLink': NEXT,
    });
    expect(page.users).toHaveLength(1);
    expect(page.users[0]).toMatchObject({ id: 'u1', accountEnabled: false, userType: 'Guest' });
    expect(page.removed).toEqual([
      { id: 'u2', reason: 'changed' },
      { id: 'u3', reason: 'deleted' },
    ]);
    expect(page.nextLink).toBe(NEXT);
    expect(page.deltaLink).toBeUndefined();
  });

  it('accepts an empty page that only carries a link (Graph sends those)', () => {
    expect(parseUsersDeltaPage({ value: [], '@odata.nextLink': NEXT })).toEqual({ users: [], removed: [], nextLink: NEXT });
    expect(parseUsersDeltaPage({ value: [], '@odata.deltaLink': DELTA })).toEqual({ users: [], removed: [], deltaLink: DELTA });
  });

  it('accepts cleared properties as null', () => {
    const page = parseUsersDeltaPage({
      value: [{ id: 'u1', mobilePhone: null, department: null, onPremisesExtensionAttributes: null }],
      '@odata.deltaLink': DELTA,
    });
    expect(page.users[0]).toMatchObject({ mobilePhone: null, department: null });
  });

  it.each([
    ['no value array', { '@odata.deltaLink': DELTA }, /the page at value/],
    ['an item that is not an object', { value: ['u1'], '@odata.deltaLink': DELTA }, /value\.0|value/],
    ['a user without an id', { value: [{ displayName: 'x' }], '@odata.deltaLink': DELTA }, /user value\[0\] at id/],
    [
      'a user with a wrongly typed property',
      { value: [{ id: 'u1', accountEnabled: 'yes' }], '@odata.deltaLink': DELTA },
      /user value\[0\] at accountEnabled/,
    ],
    [
      'an unknown removal reason',
      { value: [{ id: 'u1', '@removed': { reason: 'vanished' } }], '@odata.deltaLink': DELTA },
      /removed item value\[0\] at @removed\.reason/,
    ],
    ['neither link', { value: [] }, /neither a nextLink nor a deltaLink/],
    ['both links', { value: [], '@odata.nextLink': NEXT, '@odata.deltaLink': DELTA }, /both a nextLink and a deltaLink/],
    ['not an object at all', 'upstream proxy error page', /the page/],
  ])('rejects a page with %s as INTERNAL, naming the problem', (_name, body, message) => {
    const error = internalError(body);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(message);
  });
});
