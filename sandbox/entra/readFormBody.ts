import { type IncomingMessage } from 'node:http';

/** A token request is a few kB at most (an assertion with an x5c chain is the largest); more is refused. */
const MAX_BYTES = 64 * 1024;

/** Reads an `application/x-www-form-urlencoded` body; undefined when it is too large. */
export async function readFormBody(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}
