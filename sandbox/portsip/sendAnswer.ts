import { type ServerResponse } from 'node:http';

/** JSON when there is a body; nothing at all (not even a content type) for 204 or an empty 200. */
export function sendAnswer(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
