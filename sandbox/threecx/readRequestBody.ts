import { type IncomingMessage } from 'node:http';
import { badRequest, XapiError } from './XapiError';

const MAX_BYTES = 1024 * 1024;

/** The raw body, read to the end so a keep-alive connection stays usable whatever the answer. */
export async function readRequestBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BYTES) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BYTES };
}

/** JSON for XAPI writes; OData refuses a missing or broken body with 400. */
export function parseJson(body: { text: string; tooLarge: boolean }): unknown {
  if (body.tooLarge) throw new XapiError(413, `The request body is larger than ${MAX_BYTES} bytes.`);
  if (body.text.trim() === '') throw badRequest('A request body is required.');
  try {
    return JSON.parse(body.text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

/** The token endpoint's form fields, from `application/x-www-form-urlencoded` or `multipart/form-data`. */
export function parseForm(contentType: string | undefined, text: string): Map<string, string> | undefined {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return new Map(new URLSearchParams(text));
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!type.startsWith('multipart/form-data') || !boundary) return undefined;
  const fields = new Map<string, string>();
  for (const part of text.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name !== undefined) fields.set(name, part.slice(split + 4).replace(/\r\n$/, ''));
  }
  return fields;
}
