import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { parsePortSipBody } from '../../../shared/pbx/portsip/parsePortSipBody';
import {
  listPageSchema,
  PasswordPolicySchema,
  PortSipUserSchema,
  TokenAnswerSchema,
  TwoFactorAnswerSchema,
} from '../../../shared/pbx/portsip/portSipSchemas';
import { toPbxUser } from '../../../shared/pbx/portsip/toPbxUser';
import { toPortSipUserFields } from '../../../shared/pbx/portsip/toPortSipUserFields';

describe('PortSIP schemas', () => {
  it('read a user with blank (null) fields as empty strings', () => {
    const user = parsePortSipBody(
      PortSipUserSchema,
      {
        id: 'NzAw',
        name: 'kim',
        extension_number: '1001',
        display_name: 'Kim',
        email: null,
        mobile_phone: null,
        work_phone: '+1 425',
        department: null,
        enabled: false,
        role: 'StandardUser',
      },
      'GET /api/users/NzAw',
    );
    expect(toPbxUser(user)).toEqual({
      id: 'NzAw',
      userName: 'kim',
      extensionNumber: '1001',
      displayName: 'Kim',
      email: '',
      mobilePhone: '',
      workPhone: '+1 425',
      department: '',
      enabled: false,
    });
  });

  it('tell a token answer from a two-factor answer', () => {
    const tokens = { token_type: 'Bearer', access_token: 'a', refresh_token: 'r', expires_in: 3600 };
    expect(TwoFactorAnswerSchema.safeParse({ two_factor_enabled: true, token: 't' }).success).toBe(true);
    expect(TwoFactorAnswerSchema.safeParse(tokens).success).toBe(false);
    expect(TokenAnswerSchema.parse(tokens)).toMatchObject({ access_token: 'a', expires_in: 3600 });
    expect(TokenAnswerSchema.safeParse({ two_factor_enabled: true, token: 't' }).success).toBe(false);
  });

  it('fill a password policy with the spec defaults', () => {
    expect(PasswordPolicySchema.parse({ min_length: 10 })).toMatchObject({
      min_length: 10,
      max_length: 32,
      contains_special_letters: true,
    });
  });

  it('turn an answer of another shape into INTERNAL naming the endpoint', () => {
    let caught: unknown;
    try {
      parsePortSipBody(listPageSchema(PortSipUserSchema), { count: 1, items: [{ id: 7, name: 'kim' }] }, 'GET /api/users');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('INTERNAL');
    expect((caught as AppError).message).toMatch(
      /^PortSIP's answer to GET \/api\/users is not what its v22 REST API documents \(items\.0\.id: /,
    );
  });
});

describe('toPortSipUserFields', () => {
  it('sends only the given fields, under PortSIP’s names, keeping "" (clear) and false', () => {
    expect(toPortSipUserFields({ department: '', enabled: false })).toEqual({ department: '', enabled: false });
    expect(toPortSipUserFields({ displayName: 'Kim Lee', mobilePhone: undefined })).toEqual({ display_name: 'Kim Lee' });
    expect(toPortSipUserFields({})).toEqual({});
  });
});
