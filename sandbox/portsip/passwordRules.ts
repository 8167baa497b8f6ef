export interface PasswordPolicy {
  min_length: number;
  max_length: number;
  contains_letters: boolean;
  contains_numbers: boolean;
  contains_special_letters: boolean;
  disable_sequential_characters: boolean;
  disable_repeating_characters: boolean;
  disable_account_information: boolean;
}

/** A realistic tenant: stricter than the spec's defaults (min_length 6) so weak generators fail here first. */
export const SANDBOX_PASSWORD_POLICY: PasswordPolicy = {
  min_length: 8,
  max_length: 32,
  contains_letters: true,
  contains_numbers: true,
  contains_special_letters: true,
  disable_sequential_characters: true,
  disable_repeating_characters: true,
  disable_account_information: true,
};

// The spec's examples of "special letters" (GET /tenant/password_policy); an upper-case letter also counts.
const SPECIAL_OR_UPPER = /[A-Z~!@#$%^&*()_+=]/;

/** Three characters in a row that repeat (step 0) or run up or down by one (step 1), e.g. aaa, abc, 321. */
function hasRunOfThree(text: string, step: 0 | 1): boolean {
  for (let i = 2; i < text.length; i += 1) {
    const first = text.charCodeAt(i - 1) - text.charCodeAt(i - 2);
    const second = text.charCodeAt(i) - text.charCodeAt(i - 1);
    if (first === second && Math.abs(first) === step) return true;
  }
  return false;
}

/**
 * Why a password breaks the tenant policy, or undefined when it complies. ⚠ PortSIP does not say whether
 * "aBc" counts as sequential; the sandbox compares case-insensitively, the stricter reading.
 */
export function passwordProblem(password: string, policy: PasswordPolicy, userName: string): string | undefined {
  const folded = password.toLowerCase();
  if (password.length < policy.min_length || password.length > policy.max_length)
    return `must be ${policy.min_length}-${policy.max_length} characters`;
  if (policy.contains_letters && !/[A-Za-z]/.test(password)) return 'must contain a letter';
  if (policy.contains_numbers && !/[0-9]/.test(password)) return 'must contain a number';
  if (policy.contains_special_letters && !SPECIAL_OR_UPPER.test(password))
    return 'must contain an upper case letter or a special character (~!@#$%^&*()_+=)';
  if (policy.disable_sequential_characters && hasRunOfThree(folded, 1)) return 'must not contain sequential characters';
  if (policy.disable_repeating_characters && hasRunOfThree(folded, 0)) return 'must not contain repeating characters';
  if (policy.disable_account_information && userName !== '' && folded.includes(userName.toLowerCase()))
    return 'must not contain the account name';
  return undefined;
}

/** Voicemail PIN: 6-10 digits without three repeated (111) or consecutive (012, 987) digits. */
export function pinProblem(pin: string): string | undefined {
  if (!/^[0-9]{6,10}$/.test(pin)) return 'must be 6-10 digits';
  if (hasRunOfThree(pin, 0)) return 'must not contain repeated digits';
  if (hasRunOfThree(pin, 1)) return 'must not contain consecutive digits';
  return undefined;
}
