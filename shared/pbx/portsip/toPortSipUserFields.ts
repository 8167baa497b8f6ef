import { type PbxUserFields } from '../ports/PbxUserFields';

/**
 * The plain fields; `outboundCallerId` is a read-modify-write of `outbound_caller_ids` (outboundCallerIds.ts).
 * The split names are not PortSIP's (its profile has splitNames false, so they never arrive).
 */
type PlainField = Exclude<keyof PbxUserFields, 'outboundCallerId' | 'givenName' | 'surname'>;

const FIELD_NAMES: Record<PlainField, string> = {
  displayName: 'display_name',
  email: 'email',
  mobilePhone: 'mobile_phone',
  workPhone: 'work_phone',
  department: 'department',
  enabled: 'enabled',
};

/**
 * The given fields, and only those, under PortSIP's names. An empty string is kept: it is how a cleared
 * field is sent (⚠ PortSIP only documents that blank fields come back as null).
 */
export function toPortSipUserFields(fields: { [K in PlainField]?: PbxUserFields[K] | undefined }): Record<string, string | boolean> {
  const body: Record<string, string | boolean> = {};
  for (const key of Object.keys(FIELD_NAMES) as PlainField[]) {
    const value = fields[key];
    if (value !== undefined) body[FIELD_NAMES[key]] = value;
  }
  return body;
}
