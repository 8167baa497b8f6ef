import { type GraphUser } from '../../graph/GraphUser';
import { type PbxExtensionNumberRule } from '../../pbx/ports/PbxProfile';
import { isExtensionNumberAllowed } from '../../pbx/ports/isExtensionNumberAllowed';

/** The connector's own bound on a property-derived number, inside the product's rule (`rule`). */
export const PROPERTY_NUMBER_DIGITS = { min: 3, max: 13 } as const;

/**
 * Reads an extension number from a user property: keeps digits only, optionally the last N. Returns
 * undefined when the result is not a valid number: 3-13 digits that the product accepts (`rule`). Leading
 * zeros are kept and allowed where the product allows them ("+1 425 555 0101" with lastDigits 4 gives
 * "0101"): the property value is the admin's explicit choice, unlike the `fromStart` counter, which never
 * starts with 0.
 */
export function extensionFromProperty(
  user: GraphUser,
  property: string,
  lastDigits: number | undefined,
  rule: PbxExtensionNumberRule,
): string | undefined {
  let raw: string | null | undefined;
  if (property === 'businessPhones') raw = user.businessPhones?.find((p) => p.trim() !== '');
  else if (property === 'mobilePhone') raw = user.mobilePhone;
  else if (property === 'employeeId') raw = user.employeeId;
  else raw = (user.onPremisesExtensionAttributes as Record<string, string | null | undefined> | null | undefined)?.[property];
  let digits = (raw ?? '').replace(/\D/g, '');
  if (lastDigits !== undefined) digits = digits.slice(-lastDigits);
  if (digits.length < PROPERTY_NUMBER_DIGITS.min || digits.length > PROPERTY_NUMBER_DIGITS.max) return undefined;
  return isExtensionNumberAllowed(digits, rule) ? digits : undefined;
}
