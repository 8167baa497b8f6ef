import { describe, expect, it } from 'vitest';
import { changedFields, fieldsHash } from '../../../../shared/features/users/fieldsHash';
import { desiredPbxFields } from '../../../../shared/features/users/desiredPbxFields';
import { type GraphUser } from '../../../../shared/graph/GraphUser';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';

const user = { id: 'u1', displayName: 'Ada Lovelace', givenName: 'Ada', surname: 'Lovelace', mail: 'ada@contoso.com' } as GraphUser;
const splitProfile = { ...portSipProfile, splitNames: true };

describe('first and last name for products that keep them apart (PbxProfile.splitNames)', () => {
  it('are part of the desired fields only when the product keeps them', () => {
    expect(desiredPbxFields(user, portSipProfile)).not.toHaveProperty('givenName');
    expect(desiredPbxFields(user, splitProfile)).toMatchObject({ givenName: 'Ada', surname: 'Lovelace' });
    expect(desiredPbxFields({ ...user, givenName: null, surname: undefined }, splitProfile)).toMatchObject({
      givenName: '',
      surname: '',
    });
  });

  it('leave the hash of a product without them as it was, and change it when they change', () => {
    const plain = desiredPbxFields(user, portSipProfile);
    const split = desiredPbxFields(user, splitProfile);
    expect(fieldsHash(plain)).toBe(fieldsHash({ ...split, givenName: undefined, surname: undefined }));
    expect(fieldsHash(split)).not.toBe(fieldsHash(plain));
    expect(fieldsHash({ ...split, surname: 'Byron' })).not.toBe(fieldsHash(split));
  });

  it('are sent when they differ, and never to a product without them', () => {
    const split = desiredPbxFields(user, splitProfile);
    expect(changedFields(split, { ...split, surname: 'King' })).toEqual({ surname: 'King' });
    expect(changedFields({ ...split, givenName: undefined, surname: undefined }, split)).toEqual({ givenName: 'Ada', surname: 'Lovelace' });
    const plain = desiredPbxFields(user, portSipProfile);
    expect(changedFields(undefined, plain)).not.toHaveProperty('givenName');
  });
});
