import { type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** Writes an error in Graph's shape, with the innerError block clients log for support cases. */
export function sendGraphError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } }, headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The control API's answer to a method its route does not take. */
export function sendMethodNotAllowed(res: ServerResponse, method: string, path: string): void {
  sendGraphError(res, 405, 'MethodNotAllowed', `${method} is not supported on ${path}`);
}
