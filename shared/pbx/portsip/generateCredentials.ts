import { randomInt } from 'node:crypto';
import { AppError } from '../../core/errors/AppError';
import { type PasswordPolicy } from './portSipSchemas';

// Look-alikes (l/1, O/0, I) left out; specials limited to ones that are safe in SIP digest, XML provisioning
// and URLs, all within the policy's own example list.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SPECIAL = '!@#$%*_+=';
const CLASSES = [LOWER, UPPER, DIGITS, SPECIAL];
const PREFERRED_LENGTH = 16;
const MAX_DRAWS = 10_000;

export interface GeneratedCredentials {
  /** Portal (web) password. */
  password: string;
  /** SIP registration password. */
  extensionPassword: string;
  voicemailPin: string;
}

const pick = (set: string): string => set[randomInt(set.length)]!;

/** Three equal characters in a row, or three consecutive ones up or down ("abc", "CBA", "789", "#$%"). */
export function hasRunOfThree(text: string): boolean {
  for (const candidate of [text, text.toLowerCase()]) {
    for (let i = 2; i < candidate.length; i += 1) {
      const a = candidate.charCodeAt(i - 2);
      const b = candidate.charCodeAt(i - 1);
      const c = candidate.charCodeAt(i);
      if (a === b && b === c) return true;
      if (Math.abs(b - a) === 1 && c - b === b - a) return true;
    }
  }
  return false;
}

/** The password length we use: 16, moved into the policy's [min, max]. */
export function passwordLengthFor(policy: PasswordPolicy): number {
  return Math.min(policy.max_length, Math.max(policy.min_length, PREFERRED_LENGTH));
}

/**
 * A random password that satisfies the tenant policy whatever its switches say: letters of both cases, a
 * digit and a special character; no run of three repeated or consecutive characters; none of the account's
 * details (name, extension number, email local part) inside it, case-insensitively.
 */
export function generatePassword(policy: PasswordPolicy, accountInfo: readonly string[]): string {
  const length = passwordLengthFor(policy);
  if (length < CLASSES.length)
    throw new AppError(
      'CONFIG',
      `the PBX password policy allows at most ${policy.max_length} characters; the connector needs at least ${CLASSES.length}`,
    );
  const forbidden = accountInfo.map((s) => s.toLowerCase()).filter(Boolean);
  for (let draw = 0; draw < MAX_DRAWS; draw += 1) {
    const chars = CLASSES.map(pick);
    while (chars.length < length) chars.push(pick(CLASSES[randomInt(CLASSES.length)]!));
    for (let i = chars.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    const lower = password.toLowerCase();
    if (!hasRunOfThree(password) && !forbidden.some((s) => lower.includes(s))) return password;
  }
  throw new AppError('INTERNAL', 'could not generate a password that avoids the account details; the account name may be too short');
}

/** A voicemail PIN of `length` digits (PortSIP: 6-10) with no run like 111, 012 or 210. */
export function generateVoicemailPin(length = 6): string {
  for (;;) {
    const pin = Array.from({ length }, () => String(randomInt(10))).join('');
    if (!hasRunOfThree(pin)) return pin;
  }
}

/** Portal password, SIP password and voicemail PIN for a new extension. */
export function generateCredentials(
  policy: PasswordPolicy,
  account: { userName: string; extensionNumber: string; email: string },
): GeneratedCredentials {
  const accountInfo = [account.userName, account.extensionNumber, account.email.split('@')[0] ?? ''];
  return {
    password: generatePassword(policy, accountInfo),
    extensionPassword: generatePassword(policy, accountInfo),
    voicemailPin: generateVoicemailPin(),
  };
}
