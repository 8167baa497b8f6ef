import { type PbxEmailRule } from './PbxProfile';

/**
 * Whether the PBX would store `email` as given (length only: whether it is a real address is the planner's
 * call). An empty address passes only when the product does not require one.
 */
export function isEmailAllowed(email: string, rule: PbxEmailRule): boolean {
  if (email === '') return !rule.required;
  return email.length <= rule.maxLength;
}
