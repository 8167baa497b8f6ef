import { describe, expect, it } from 'vitest';
import { generatePassword, generateVoicemailPin } from '../../../shared/pbx/portsip/generateCredentials';
import { PasswordPolicySchema } from '../../../shared/pbx/portsip/portSipSchemas';
import { passwordProblem, pinProblem } from '../../sandbox/portsip/passwordRules';

describe('generated PortSIP credentials', () => {
  it('always satisfy the tenant password policy (1,000 draws, several policies)', () => {
    for (const overrides of [{}, { min_length: 8, max_length: 8 }, { min_length: 20, max_length: 32 }]) {
      const policy = PasswordPolicySchema.parse(overrides);
      for (let i = 0; i < 1000; i += 1) {
        const password = generatePassword(policy, 'abc');
        expect(passwordProblem(password, policy, 'abc')).toBeUndefined();
      }
    }
  });

  it('give voicemail PINs without repeated or consecutive runs', () => {
    for (let i = 0; i < 1000; i += 1) expect(pinProblem(generateVoicemailPin())).toBeUndefined();
  });
});
