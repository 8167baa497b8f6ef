import { createHash } from 'node:crypto';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';
import { sameCallerId } from '../../pbx/ports/PbxCallerId';

/**
 * The plain fields, in hash order. `outboundCallerId` is compared and hashed apart (an object; absent ≡ null),
 * and so are the split names, which only products with PbxProfile.splitNames have.
 */
const ORDER: (keyof Omit<PbxUserFields, 'outboundCallerId' | 'givenName' | 'surname'>)[] = [
  'displayName',
  'email',
  'mobilePhone',
  'workPhone',
  'department',
  'enabled',
];

/**
 * A stable hash of the managed fields: equal hash means the PBX needs no write. Without an outbound caller ID
 * the hash is exactly what it was before the field existed, so links stored earlier (which lack it) still
 * match a user with the option off: turning the option on is what rewrites them, not an upgrade.
 */
export function fieldsHash(fields: PbxUserFields): string {
  const values: unknown[] = ORDER.map((key) => fields[key]);
  const callerId = fields.outboundCallerId;
  if (callerId) values.push(['outboundCallerId', callerId.providerId, callerId.callerId]);
  if (fields.givenName !== undefined || fields.surname !== undefined) values.push(['names', fields.givenName ?? '', fields.surname ?? '']);
  const canonical = JSON.stringify(values);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** Only the fields whose value differs (what an update sends). An unknown `current` sends everything that may differ. */
export function changedFields(current: PbxUserFields | undefined, desired: PbxUserFields): Partial<PbxUserFields> {
  const changes: Partial<PbxUserFields> = {};
  for (const key of ORDER) {
    if (!current || current[key] !== desired[key]) (changes as Record<string, unknown>)[key] = desired[key];
  }
  for (const key of ['givenName', 'surname'] as const) {
    if (desired[key] !== undefined && (!current || current[key] !== desired[key])) changes[key] = desired[key];
  }
  // An unknown current state with no caller ID wanted sends nothing: removing one costs a read of the PBX user.
  const wanted = desired.outboundCallerId ?? null;
  if (current ? !sameCallerId(current.outboundCallerId, wanted) : wanted !== null) changes.outboundCallerId = wanted;
  return changes;
}
