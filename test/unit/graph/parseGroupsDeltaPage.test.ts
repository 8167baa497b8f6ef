import { describe, expect, it } from 'vitest';
import { parseGroupsDeltaPage } from '../../../shared/graph/parseGroupsDeltaPage';
import { appErrorOf } from '../../support/appErrorOf';

const NEXT = 'https://graph.microsoft.com/v1.0/groups/delta?$skiptoken=abc';
const DELTA = 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=xyz';

const parsing = (body: unknown) => appErrorOf(Promise.resolve().then(() => parseGroupsDeltaPage(body)));

describe('parseGroupsDeltaPage', () => {
  it('splits groups (with their member changes, typed) and removed groups, and keeps the nextLink', () => {
    const page = parseGroupsDeltaPage({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#groups',
      value: [
        {
          '@odata.type': '#microsoft.graph.group',
          id: 'G1',
          displayName: 'Sales',
          groupTypes: ['Unified'],
          securityEnabled: false,
          mailEnabled: true,
          description: 'not read',
          'members@delta': [
            { '@odata.type': '#microsoft.graph.user', id: 'U1' },
            { '@odata.type': '#microsoft.graph.group', id: 'G2' },
            { '@odata.type': '#microsoft.graph.device', id: 'D1' },
            { '@odata.type': '#microsoft.graph.user', id: 'U2', '@removed': { reason: 'deleted' } },
            { id: 'X1', '@removed': { reason: 'deleted' } },
          ],
        },
        { id: 'G3', displayName: null },
        { id: 'G4', '@removed': { reason: 'changed' } },
        { id: 'G5', '@removed': { reason: 'deleted' } },
      ],
      '@odata.nextLink': NEXT,
    });
    expect(page).toEqual({
      groups: [
        {
          id: 'G1',
          displayName: 'Sales',
          groupTypes: ['Unified'],
          securityEnabled: false,
          mailEnabled: true,
          memberChanges: [
            { id: 'U1', kind: 'user', removed: false },
            { id: 'G2', kind: 'group', removed: false },
            { id: 'D1', kind: 'other', removed: false },
            { id: 'U2', kind: 'user', removed: true },
            { id: 'X1', kind: 'unknown', removed: true },
          ],
        },
        { id: 'G3', displayName: null, memberChanges: [] },
      ],
      removed: [
        { id: 'G4', reason: 'changed' },
        { id: 'G5', reason: 'deleted' },
      ],
      nextLink: NEXT,
    });
  });

  it('accepts an empty page that only carries a link, and keeps ids as Graph sends them', () => {
    expect(parseGroupsDeltaPage({ value: [], '@odata.deltaLink': DELTA })).toEqual({ groups: [], removed: [], deltaLink: DELTA });
    expect(parseGroupsDeltaPage({ value: [{ id: 'AbC' }], '@odata.nextLink': NEXT }).groups).toEqual([{ id: 'AbC', memberChanges: [] }]);
  });

  it.each([
    ['no value array', { '@odata.deltaLink': DELTA }, 'unexpected groups delta page from Graph: the page at value'],
    ['a group without id', { value: [{ displayName: 'x' }], '@odata.deltaLink': DELTA }, 'group value[0] at id'],
    ['groupTypes not a list', { value: [{ id: 'g', groupTypes: 'Unified' }], '@odata.deltaLink': DELTA }, 'group value[0] at groupTypes'],
    [
      'members@delta not a list',
      { value: [{ id: 'g', 'members@delta': {} }], '@odata.deltaLink': DELTA },
      'group value[0] at members@delta',
    ],
    [
      'a member without id',
      { value: [{ id: 'g', 'members@delta': [{ '@odata.type': '#microsoft.graph.user' }] }], '@odata.deltaLink': DELTA },
      'group value[0] at members@delta.0.id',
    ],
    [
      'an unknown removed reason',
      { value: [{ id: 'g', '@removed': { reason: 'archived' } }], '@odata.deltaLink': DELTA },
      'removed item value[0] at @removed.reason',
    ],
    ['both links', { value: [], '@odata.nextLink': NEXT, '@odata.deltaLink': DELTA }, 'it has both a nextLink and a deltaLink'],
    ['no link', { value: [] }, 'it has neither a nextLink nor a deltaLink'],
  ])('refuses %s with an INTERNAL error naming it', async (_name, body, message) => {
    const error = await parsing(body);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain(message);
  });
});
