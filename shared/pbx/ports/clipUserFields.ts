import { type PbxFieldLimits } from './PbxProfile';
import { type PbxUserFields } from './PbxUserFields';

const clip = (value: string, max: number): string => value.trim().slice(0, max);

/**
 * The fields trimmed and cut to the product's limits, so a long Entra value still syncs (truncated) instead of
 * failing the write. The e-mail is left alone: a too-long address is unusable (PbxEmailRule), not shortened.
 */
export function clipUserFields(fields: PbxUserFields, limits: PbxFieldLimits): PbxUserFields {
  return {
    ...fields,
    displayName: clip(fields.displayName, limits.displayName),
    mobilePhone: clip(fields.mobilePhone, limits.mobilePhone),
    workPhone: clip(fields.workPhone, limits.workPhone),
    department: clip(fields.department, limits.department),
    // Names split apart share the display name's limit: each is a part of it.
    ...(fields.givenName === undefined ? {} : { givenName: clip(fields.givenName, limits.displayName) }),
    ...(fields.surname === undefined ? {} : { surname: clip(fields.surname, limits.displayName) }),
  };
}
