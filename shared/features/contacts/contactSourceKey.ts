import { createHash } from 'node:crypto';

/**
 * The key of a feature's source folder: the feature name and a hash of mailbox and folder. Mailbox addresses
 * and Outlook folder ids hold characters a table key may not (`/`, `=`…) and run long; the hash is short and
 * stable, and the source record keeps the real values.
 */
export function contactSourceKey(feature: string, mailbox: string, folderId: string): string {
  const digest = createHash('sha256').update(`${mailbox.toLowerCase()}\n${folderId}`).digest('hex').slice(0, 32);
  return `${feature}.${digest}`;
}
