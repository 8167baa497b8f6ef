import { type PbxExtensionNumberRule } from './PbxProfile';

/** Whether the PBX would accept `extensionNumber` as a new extension's number. */
export function isExtensionNumberAllowed(extensionNumber: string, rule: PbxExtensionNumberRule): boolean {
  if (!/^[0-9]+$/.test(extensionNumber)) return false;
  if (extensionNumber.length < rule.minLength || extensionNumber.length > rule.maxLength) return false;
  return rule.leadingZerosAllowed || !extensionNumber.startsWith('0');
}
