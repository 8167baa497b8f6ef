import { type GraphUser } from '../../graph/GraphUser';

/**
 * Reads an extension number from a user property: keeps digits only, optionally the last N. Returns
 * undefined when the result is not a valid number (3-13 digits, no leading zero).
 */
export function extensionFromProperty(user: GraphUser, property: string, lastDigits?: number): string | undefined {
  let raw: string | null | undefined;
  if (property === 'businessPhones') raw = user.businessPhones?.find((p) => p.trim() !== '');
  else if (property === 'mobilePhone') raw = user.mobilePhone;
  else if (property === 'employeeId') raw = user.employeeId;
  else raw = (user.onPremisesExtensionAttributes as Record<string, string | null | undefined> | null | undefined)?.[property];
  let digits = (raw ?? '').replace(/\D/g, '');
  if (lastDigits !== undefined) digits = digits.slice(-lastDigits);
  return /^[1-9][0-9]{2,12}$/.test(digits) ? digits : undefined;
}
