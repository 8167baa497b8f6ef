import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Path below /api, without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization?: string | undefined;
  at: number;
}

export type FakeReply = { status: number; body?: unknown; headers?: Record<string, string> | undefined } | 'hang' | 'reset';
export type FakeHandler = (request: FakeRequest) => FakeReply | undefined;

export interface FakePortSip {
  baseUrl: string;
  requests: FakeRequest[];
  /** Requests other than sign-in and refresh. */
  apiRequests(): FakeRequest[];
  stop(): Promise<void>;
}

/**
 * A tiny scripted PortSIP over real HTTP for unit tests: sign-in and refresh issue numbered tokens
 * (access-1, access-2, …); every other request goes to `handler`, and a request it leaves unanswered gets 404.
 */
export async function startFakePortSip(handler: FakeHandler): Promise<FakePortSip> {
  const requests: FakeRequest[] = [];
  let issued = 0;
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.replace(/^\/api/, ''),
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    requests.push(request);
    const reply: FakeReply =
      request.path === '/auth/sign_in' || request.path === '/auth/refresh_token'
        ? (handler(request) ?? {
            status: 200,
            body: { token_type: 'Bearer', access_token: `access-${++issued}`, refresh_token: `refresh-${issued}`, expires_in: 3600 },
          })
        : (handler(request) ?? { status: 404, body: { errors: [{ code: 'NOT_FOUND', message: 'No such route' }] } });
    if (reply === 'hang') return;
    if (reply === 'reset') return void req.socket.destroy();
    res.writeHead(reply.status, { ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }), ...reply.headers });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    apiRequests: () => requests.filter((r) => !r.path.startsWith('/auth/')),
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
