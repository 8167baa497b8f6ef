import { describe, expect, it } from 'vitest';
import { clipUserFields } from '../../../shared/pbx/ports/clipUserFields';

const limits = { displayName: 5, mobilePhone: 3, workPhone: 4, department: 2 };

describe('clipUserFields', () => {
  it('trims and cuts each text field to its limit, and leaves the e-mail and enabled alone', () => {
    const fields = {
      displayName: '  Kimberly Lee ',
      email: 'a-very-long-address@contoso.com',
      mobilePhone: '+1 425',
      workPhone: ' 12 ',
      department: 'Sales',
      enabled: false,
    };
    expect(clipUserFields(fields, limits)).toEqual({
      displayName: 'Kimbe',
      email: 'a-very-long-address@contoso.com',
      mobilePhone: '+1 ',
      workPhone: '12',
      department: 'Sa',
      enabled: false,
    });
  });
});
