import { createHash } from 'node:crypto';
import { type UserSyncOptions } from './usersOptions';

/** Hash of the options that decide who is synced and how; when it changes the next run is a full reconcile. */
export function optionsHash(options: UserSyncOptions): string {
  const relevant = {
    syncGuests: options.syncGuests,
    scope: options.scope,
    onDisabled: options.onDisabled,
    onSoftDeleted: options.onSoftDeleted,
    onHardDeleted: options.onHardDeleted,
    onOutOfScope: options.onOutOfScope,
    // Only when set: a tenant without the option keeps the hash it had before the option existed (no reconcile).
    ...(options.outboundCallerId ? { outboundCallerId: options.outboundCallerId } : {}),
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}
