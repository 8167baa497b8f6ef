import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { parseContactsDeltaPage } from '../../../shared/graph/parseContactsDeltaPage';

const BASE = 'https://graph.microsoft.com/v1.0/users/u1/contactFolders/AAMk-f_1=/contacts/delta';
const ID = 'AAMkAGI1AAAARgAAAAx-y_z==';

function internalError(body: unknown): AppError {
  try {
    parseContactsDeltaPage(body);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected parseContactsDeltaPage to throw');
}

describe('parseContactsDeltaPage', () => {
  it('splits contacts and removed ids, keeps the nextLink and lets unknown properties through', () => {
    const page = parseContactsDeltaPage({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(contact)',
      value: [
        {
          '@odata.etag': 'W/"abc"',
          id: ID,
          displayName: 'Anna',
          mobilePhone: null,
          businessPhones: [],
          emailAddresses: [{ name: 'Anna', address: 'anna@example.com' }],
          businessAddress: { city: 'Berlin', street: null },
          changeKey: 'abc',
          fileAs: 'Anna',
        },
        { id: 'gone-1', '@removed': { reason: 'deleted' } },
      ],
      '@odata.nextLink': `${BASE}?$skiptoken=1`,
    });
    expect(page.contacts).toHaveLength(1);
    expect(page.contacts[0]).toMatchObject({ id: ID, displayName: 'Anna', mobilePhone: null, fileAs: 'Anna' });
    expect(page.removedIds).toEqual(['gone-1']);
    expect(page.nextLink).toBe(`${BASE}?$skiptoken=1`);
    expect(page.deltaLink).toBeUndefined();
  });

  it('keeps the deltaLink of the last page, also an empty one', () => {
    const page = parseContactsDeltaPage({ value: [], '@odata.deltaLink': `${BASE}?$deltatoken=2` });
    expect(page).toEqual({ contacts: [], removedIds: [], deltaLink: `${BASE}?$deltatoken=2` });
  });

  it('refuses a page it does not understand instead of reading it as empty', () => {
    expect(internalError({ value: [] }).message).toContain('neither a nextLink nor a deltaLink');
    expect(internalError({ '@odata.deltaLink': `${BASE}?$deltatoken=2` }).code).toBe('INTERNAL');
    const badContact = internalError({ value: [{ id: ID, businessPhones: 'not a list' }], '@odata.deltaLink': `${BASE}?$deltatoken=2` });
    expect(badContact.message).toMatch(/unexpected contacts delta page from Graph: contact value\[0\] at businessPhones/);
    expect(internalError({ value: [{ displayName: 'no id' }], '@odata.deltaLink': `${BASE}?$deltatoken=2` }).code).toBe('INTERNAL');
    expect(
      internalError({ value: [{ id: 'x', '@removed': { reason: 'archived' } }], '@odata.deltaLink': `${BASE}?$deltatoken=2` }).message,
    ).toContain('removed item value[0]');
    expect(
      internalError({ value: [], '@odata.nextLink': `${BASE}?$skiptoken=1`, '@odata.deltaLink': `${BASE}?$deltatoken=2` }).message,
    ).toContain('both');
  });
});
