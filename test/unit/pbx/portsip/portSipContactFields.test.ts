import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../../shared/core/errors/AppError';
import { LruMap } from '../../../../shared/pbx/portsip/LruMap';
import { toPbxContact } from '../../../../shared/pbx/portsip/toPbxContact';
import { toPortSipContactFields } from '../../../../shared/pbx/portsip/toPortSipContactFields';
import { PortSipContactSchema } from '../../../../shared/pbx/portsip/portSipSchemas';

describe('toPortSipContactFields', () => {
  it('maps every field PortSIP has, sends "" for a cleared one, and leaves out what the write does not carry', () => {
    expect(
      toPortSipContactFields(
        {
          displayName: 'Ada Lovelace',
          company: 'Analytical',
          jobTitle: 'Engineer',
          email: ' ada@example.com ',
          businessPhone: '1',
          businessPhone2: '2',
          mobilePhone: '',
          homePhone: '4',
          homePhone2: '5',
          address: 'London',
          notes: 'n',
        },
        'test',
      ),
    ).toEqual({
      name: 'Ada Lovelace',
      company: 'Analytical',
      title: 'Engineer',
      email: 'ada@example.com',
      business: '1',
      business2: '2',
      mobile_phone: '',
      home_phone: '4',
      home_phone2: '5',
      address: 'London',
      notes: 'n',
    });
    expect(toPortSipContactFields({ notes: '' }, 'test')).toEqual({ notes: '' });
    // Given name and surname alone cannot say what the name was built from: the name is left alone.
    expect(toPortSipContactFields({ givenName: 'Ada' }, 'test')).toEqual({});
  });

  it('builds the name from given name and surname when the display name is blank, and refuses a contact without any', () => {
    expect(toPortSipContactFields({ displayName: '', givenName: ' Ada ', surname: 'Lovelace' }, 'test')).toEqual({ name: 'Ada Lovelace' });
    expect(toPortSipContactFields({ displayName: '', surname: 'Lovelace' }, 'test')).toEqual({ name: 'Lovelace' });
    let refused: unknown;
    try {
      toPortSipContactFields({ displayName: '  ' }, 'creating x');
    } catch (err) {
      refused = err;
    }
    expect(isAppError(refused, 'INVALID')).toBe(true);
  });

  it('cuts to PortSIP’s limits by whole characters, as JSON counts them', () => {
    const fields = toPortSipContactFields(
      { displayName: `${'a'.repeat(63)}😀`, notes: '😀'.repeat(600), company: 'c'.repeat(200) },
      'test',
    );
    expect(fields.name).toBe('a'.repeat(63));
    expect(fields.notes).toBe('😀'.repeat(512));
    expect(fields.company).toHaveLength(128);
  });

  it('reads PortSIP’s nulls back as blank fields and its one name as the display name', () => {
    const contact = PortSipContactSchema.parse({ id: 'x', name: 'Ada', email: null, title: 'Eng', favorite: true, sync_type: null });
    expect(toPbxContact(contact)).toMatchObject({
      id: 'x',
      displayName: 'Ada',
      givenName: '',
      surname: '',
      email: '',
      jobTitle: 'Eng',
      notes: '',
    });
  });
});

describe('LruMap (the per-user session cache)', () => {
  it('drops the least recently used entry beyond its capacity; a read counts as a use', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });
});
