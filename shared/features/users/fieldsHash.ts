import { createHash } from 'node:crypto';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';

const ORDER: (keyof PbxUserFields)[] = ['displayName', 'email', 'mobilePhone', 'workPhone', 'department', 'enabled'];

/** A stable hash of the managed fields: equal hash means the PBX needs no write. */
export function fieldsHash(fields: PbxUserFields): string {
  const canonical = JSON.stringify(ORDER.map((key) => fields[key]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** Only the fields whose value differs (what an update sends). */
export function changedFields(current: PbxUserFields | undefined, desired: PbxUserFields): Partial<PbxUserFields> {
  const changes: Partial<PbxUserFields> = {};
  for (const key of ORDER) {
    if (!current || current[key] !== desired[key]) (changes as Record<string, unknown>)[key] = desired[key];
  }
  return changes;
}
