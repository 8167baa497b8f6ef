import { validationFailed } from './PbxError';

export type UserFilterField = 'email' | 'extension_number' | 'name';

export interface UserFilter {
  field: UserFilterField;
  value: string;
}

// OData string literal: single quotes, a quote inside doubled ('O''Brien').
const EQUALS = /^\s*(email|extension_number|name)\s+eq\s+'((?:[^']|'')*)'\s*$/;

/**
 * The `filter` forms the sync uses, answered from an index. ⚠ PortSIP lists no filterable fields for
 * /users; anything else is refused (400) rather than silently ignored, so a client cannot rely on it here.
 */
export function parseUserFilter(filter: string): UserFilter {
  const match = EQUALS.exec(filter);
  if (!match) throw validationFailed('filter', "the sandbox supports only email eq '…', extension_number eq '…' and name eq '…'");
  return { field: match[1] as UserFilterField, value: match[2]!.replace(/''/g, "'") };
}
