import { randomBytes } from 'node:crypto';

const MAX_TIME = 9_999_999_999_999;

/** Run ids sort newest first as Table Storage row keys: inverted millisecond timestamp + random suffix. */
export function newRunId(now: Date = new Date()): string {
  const inverted = String(MAX_TIME - now.getTime()).padStart(13, '0');
  return `${inverted}-${randomBytes(4).toString('hex')}`;
}

export const RunIdSchemaPattern = /^[0-9]{13}-[0-9a-f]{8}$/;
