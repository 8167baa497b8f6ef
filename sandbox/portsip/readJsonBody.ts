import { type IncomingMessage } from 'node:http';
import { PbxError } from './PbxError';

const MAX_JSON_BYTES = 1024 * 1024;

/** The largest blob the sandbox takes in one upload (PortSIP's own limit is undocumented ⚠; avatars are small). */
export const MAX_BLOB_BYTES = 4 * 1024 * 1024;

export interface RequestBody {
  /** As JSON: an empty body is `{}`; broken JSON is 400, more than 1 MiB 413. */
  parse(): unknown;
  /** The raw bytes (an octet-stream upload); more than MAX_BLOB_BYTES is 413. */
  bytes(): Buffer;
}

const tooLarge = (limit: number) => new PbxError(413, 'VALIDATE_FAILED', `The request body is larger than ${limit} bytes`);

/**
 * The request body read to the end (so a keep-alive connection stays usable whatever the answer), kept up to
 * the blob limit and interpreted later by the route: as JSON, or as raw bytes for a blob upload.
 */
export async function readJsonBody(req: IncomingMessage): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BLOB_BYTES) chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  return {
    parse: () => {
      if (size > MAX_JSON_BYTES) throw tooLarge(MAX_JSON_BYTES);
      const text = raw.toString('utf8');
      if (text.trim() === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new PbxError(400, 'VALIDATE_FAILED', 'The request body is not valid JSON', { field: 'body' });
      }
    },
    bytes: () => {
      if (size > MAX_BLOB_BYTES) throw tooLarge(MAX_BLOB_BYTES);
      return raw;
    },
  };
}
