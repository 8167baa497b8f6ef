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

function hasRunOfThree(text: string, step: number): boolean {
  for (let i = 2; i < text.length; i += 1) {
    const a = text.charCodeAt(i - 2);
    const b = text.charCodeAt(i - 1);
    const c = text.charCodeAt(i);
    if (step === 0 ? a === b && b === c : (b - a === step && c - b === step) || (a - b === step && b - c === step)) return true;
  }
  return false;
}

/** Why a password breaks the tenant policy, or undefined when it complies. */
export function passwordProblem(password: string, policy: PasswordPolicy, userName: string): string | undefined {
  if (password.length < policy.min_length || password.length > policy.max_length) return `must be ${policy.min_length}-${policy.max_length} characters`;
  if (policy.contains_letters && !/[A-Za-z]/.test(password)) return 'must contain a letter';
  if (policy.contains_numbers && !/[0-9]/.test(password)) return 'must contain a number';
  if (policy.contains_special_letters && !/[A-Z~!@#$%^&*()_+=\-]/.test(password)) return 'must contain an upper case letter or a special character';
  if (policy.disable_sequential_characters && hasRunOfThree(password, 1)) return 'must not contain sequential characters';
  if (policy.disable_repeating_characters && hasRunOfThree(password, 0)) return 'must not contain repeating characters';
  if (policy.disable_account_information && userName && password.toLowerCase().includes(userName.toLowerCase())) return 'must not contain the account name';
  return undefined;
}

/** Voicemail PIN: 6-10 digits without a run of three repeated or consecutive digits. */
export function pinProblem(pin: string): string | undefined {
  if (!/^[0-9]{6,10}$/.test(pin)) return 'must be 6-10 digits';
  if (hasRunOfThree(pin, 0)) return 'must not contain repeated digits';
  if (hasRunOfThree(pin, 1)) return 'must not contain consecutive digits';
  return undefined;
}
