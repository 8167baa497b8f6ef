import { type IncomingMessage } from 'node:http';
import { type z } from 'zod';

/** A request body the control API refuses, with the status it answers. */
export class BadBodyError extends Error {
  override readonly name = 'BadBodyError';

  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BYTES = 64 * 1024;

/** Reads a small JSON body and checks it against a schema; every problem is named in one message. */
export async function readJsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES) throw new BadBodyError(413, `body is larger than ${MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new BadBodyError(400, 'body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new BadBodyError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}
