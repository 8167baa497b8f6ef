import { randomBytes } from 'node:crypto';

const RANDOM_BYTES = 96;
const PREFIX = { folder: 'AAMkAGI1AAAuAAAAAA', item: 'AAMkAGI1AAAARgAAAA' } as const;
/** 96 random bytes are 128 base64url characters; Outlook's ids end in `=` (base64 padding). */
const ID_LENGTH = PREFIX.item.length + 128 + 1;
const POOL_SIZE = RANDOM_BYTES * 1024;

let pool = randomBytes(POOL_SIZE);
let offset = 0;

function take(size: number): [Buffer, number] {
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const at = offset;
  offset += size;
  return [pool, at];
}

/**
 * An id shaped like Outlook's (base64 of an entry id, ~150 characters with `-`, `_` and a trailing `=`), so
 * clients that put ids into URLs or table keys meet the characters real ids have. `kind` keeps folder and
 * item ids apart the way Outlook's prefixes do. Random bytes come from a pool and the id is built in one
 * buffer: bulk seeds make 100,000 of them, each kept as one flat string.
 */
export function newOutlookId(kind: 'folder' | 'item'): string {
  const [bytes, at] = take(RANDOM_BYTES);
  const out = Buffer.allocUnsafe(ID_LENGTH);
  const prefix = PREFIX[kind];
  out.write(prefix, 0, 'latin1');
  out.write(bytes.toString('base64url', at, at + RANDOM_BYTES), prefix.length, 'latin1');
  out[prefix.length + 40] = 0x2d; // '-'
  out[prefix.length + 80] = 0x5f; // '_'
  out[ID_LENGTH - 1] = 0x3d; // '='
  return out.toString('latin1');
}

/** A contact's changeKey: 16 base64 characters, new with every edit. */
export function newChangeKey(): string {
  const [bytes, at] = take(12);
  return bytes.toString('base64', at, at + 12);
}
