import { randomInt } from 'node:crypto';
import { PasswordPolicy } from './portSipSchemas';

const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SPECIAL = '!@#$%^*_+=';

const pick = (set: string) => set[randomInt(set.length)]!;

function hasRun(text: string): boolean {
  for (let i = 2; i < text.length; i += 1) {
    const [a, b, c] = [text.charCodeAt(i - 2), text.charCodeAt(i - 1), text.charCodeAt(i)];
    if (a === b && b === c) return true;
    if ((b - a === 1 && c - b === 1) || (a - b === 1 && b - c === 1)) return true;
  }
  return false;
}

/** A random password satisfying the tenant policy (no 3 sequential or repeating characters, not the account name). */
export function generatePassword(policy: PasswordPolicy, userName: string): string {
  const length = Math.min(policy.max_length, Math.max(policy.min_length, 16));
  const pools = [LOWER, UPPER, DIGITS, SPECIAL];
  for (;;) {
    const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SPECIAL)];
    while (chars.length < length) chars.push(pick(pools[randomInt(pools.length)]!));
    for (let i = chars.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('').slice(0, length);
    if (hasRun(password)) continue;
    if (userName && password.toLowerCase().includes(userName.toLowerCase())) continue;
    if (!/[a-z]/i.test(password) || !/[0-9]/.test(password) || !/[A-Z!@#$%^*_+=]/.test(password)) continue;
    return password;
  }
}

/** A 6-digit voicemail PIN without repeated (111) or consecutive (123, 321) runs. */
export function generateVoicemailPin(): string {
  for (;;) {
    const pin = Array.from({ length: 6 }, () => String(randomInt(10))).join('');
    if (!hasRun(pin)) return pin;
  }
}
