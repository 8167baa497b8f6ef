import { describe, expect, it } from 'vitest';
import {
  generateCredentials,
  generatePassword,
  generateVoicemailPin,
  hasRunOfThree,
  passwordLengthFor,
} from '../../../shared/pbx/portsip/generateCredentials';
import { PasswordPolicySchema } from '../../../shared/pbx/portsip/portSipSchemas';
import { passwordProblem, pinProblem } from '../../../sandbox/portsip/passwordRules';

const DRAWS = 1000;

/** The rules, written out independently of the generator. */
function ruleBroken(password: string, length: number, accountInfo: string[]): string | undefined {
  if (password.length !== length) return `length ${password.length}, expected ${length}`;
  if (!/[a-z]/.test(password) || !/[A-Z]/.test(password)) return 'needs lower and upper case letters';
  if (!/[0-9]/.test(password)) return 'needs a digit';
  if (!/[~!@#$%^&*()_+=]/.test(password)) return 'needs a special character';
  const lower = password.toLowerCase();
  for (let i = 2; i < password.length; i += 1) {
    for (const s of [password, lower]) {
      const [a, b, c] = [s.charCodeAt(i - 2), s.charCodeAt(i - 1), s.charCodeAt(i)];
      if (a === b && b === c) return `repeats at ${i - 2}`;
      if ((b === a + 1 && c === b + 1) || (b === a - 1 && c === b - 1)) return `sequence at ${i - 2}`;
    }
  }
  for (const info of accountInfo) if (lower.includes(info.toLowerCase())) return `contains ${info}`;
  return undefined;
}

describe('generatePassword', () => {
  const policies = [
    {},
    { min_length: 6, max_length: 6 },
    { min_length: 8, max_length: 8 },
    { min_length: 8, max_length: 12 },
    { min_length: 20, max_length: 32 },
    { min_length: 32, max_length: 32 },
  ];

  it.each(policies)('always satisfies the policy %j (1,000 draws)', (overrides) => {
    const policy = PasswordPolicySchema.parse(overrides);
    const length = passwordLengthFor(policy);
    const accountInfo = ['ab', '1001', 'jdoe'];
    const seen = new Set<string>();
    for (let i = 0; i < DRAWS; i += 1) {
      const password = generatePassword(policy, accountInfo);
      expect(ruleBroken(password, length, accountInfo), password).toBeUndefined();
      expect(passwordProblem(password, policy, 'jdoe'), password).toBeUndefined();
      seen.add(password);
    }
    expect(seen.size).toBe(DRAWS);
  });

  it('uses 16 characters moved into the policy range', () => {
    expect(passwordLengthFor(PasswordPolicySchema.parse({}))).toBe(16);
    expect(passwordLengthFor(PasswordPolicySchema.parse({ min_length: 6, max_length: 10 }))).toBe(10);
    expect(passwordLengthFor(PasswordPolicySchema.parse({ min_length: 24 }))).toBe(24);
  });

  it('avoids even a one-letter account name, in either case', () => {
    const policy = PasswordPolicySchema.parse({});
    for (let i = 0; i < DRAWS; i += 1) expect(generatePassword(policy, ['q'])).not.toMatch(/q/i);
  });

  it('refuses a policy too short to hold every character class', () => {
    expect(() => generatePassword(PasswordPolicySchema.parse({ min_length: 3, max_length: 3 }), [])).toThrow(/at most 3 characters/);
  });
});

describe('hasRunOfThree', () => {
  it.each(['aaa', 'xAAAx', 'zZz1', 'abc', 'cba', 'aBc', 'CbA', '789', '210', '#$%', 'x@AB'])('finds a run in %s', (text) =>
    expect(hasRunOfThree(text)).toBe(true),
  );
  it.each(['aab', 'abd', 'a1b2', '135', '9:0', 'aAb'])('finds none in %s', (text) => expect(hasRunOfThree(text)).toBe(false));
});

describe('generateVoicemailPin', () => {
  it('gives 6 digits without repeated or consecutive runs (1,000 draws)', () => {
    for (let i = 0; i < DRAWS; i += 1) {
      const pin = generateVoicemailPin();
      expect(pin).toMatch(/^[0-9]{6}$/);
      expect(pinProblem(pin), pin).toBeUndefined();
      for (let j = 2; j < 6; j += 1) {
        const [a, b, c] = [Number(pin[j - 2]), Number(pin[j - 1]), Number(pin[j])];
        expect(b - a === c - b && Math.abs(b - a) <= 1, pin).toBe(false);
      }
    }
  });

  it('honours another length', () => {
    expect(generateVoicemailPin(10)).toMatch(/^[0-9]{10}$/);
  });
});

describe('generateCredentials', () => {
  it('gives two different passwords that avoid the name, number and email, and a PIN', () => {
    const policy = PasswordPolicySchema.parse({});
    for (let i = 0; i < 200; i += 1) {
      const c = generateCredentials(policy, { userName: 'kim', extensionNumber: '482', email: 'k.lee@contoso.com' });
      expect(c.password).not.toBe(c.extensionPassword);
      for (const p of [c.password, c.extensionPassword]) expect(ruleBroken(p, 16, ['kim', '482', 'k.lee'])).toBeUndefined();
      expect(pinProblem(c.voicemailPin)).toBeUndefined();
    }
  });
});
