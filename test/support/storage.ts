import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';

/** Connection string of the Azurite started by the global setup. */
export function testStorageConnectionString(): string {
  return inject('storageConnectionString');
}

/** A unique, valid table-name prefix (letters and digits) so tests never share tables. */
export function uniqueTablePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}
