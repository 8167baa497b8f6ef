import { type ServerResponse } from 'node:http';

/**
 * JSON when there is a body, the bytes as they are for a download (a Buffer); nothing at all (not even a
 * content type) for 204 or an empty answer.
 */
export function sendAnswer(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  if (Buffer.isBuffer(body)) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', ...headers });
    res.end(body);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
