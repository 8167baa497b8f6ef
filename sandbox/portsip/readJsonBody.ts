import { type IncomingMessage } from 'node:http';
import { PbxError } from './PbxError';

const MAX_BYTES = 1024 * 1024;

/**
 * The request body read to the end (so a keep-alive connection stays usable whatever the answer), parsed
 * later by `parse`: an empty body is `{}`; broken JSON is 400, an oversized body 413.
 */
export async function readJsonBody(req: IncomingMessage): Promise<{ parse(): unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BYTES) chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return {
    parse: () => {
      if (size > MAX_BYTES) throw new PbxError(413, 'VALIDATE_FAILED', `The request body is larger than ${MAX_BYTES} bytes`);
      if (text.trim() === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new PbxError(400, 'VALIDATE_FAILED', 'The request body is not valid JSON', { field: 'body' });
      }
    },
  };
}
