import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface Received {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  contentType: string;
  body: string;
}

export type Responder = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export const tokenOf = (req: IncomingMessage) => new URL(req.url!, 'http://x').searchParams.get('validationToken');

/** Answers handshakes as a correct endpoint does (200, text/plain, the decoded token) and everything else 202. */
export const correctEndpoint: Responder = (req, res) => {
  const token = tokenOf(req);
  if (token !== null) res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(token);
  else res.writeHead(202).end();
};

/** A webhook receiver on a free port that records every request. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  respond: Responder = correctEndpoint;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const receiver = new WebhookReceiver(server);
    const record = async (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      receiver.received.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'] ?? '', body });
      receiver.respond(req, res, body);
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void record(req, res));
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  handshakes(): Received[] {
    return this.received.filter((r) => r.url.includes('validationToken='));
  }

  /** The `value` arrays of the POSTs (not handshakes) to paths starting with `prefix`, in arrival order. */
  posts(prefix = '/hook'): Json[][] {
    return this.received
      .filter((r) => r.url.startsWith(prefix) && !r.url.includes('validationToken='))
      .map((r) => (JSON.parse(r.body) as { value: Json[] }).value);
  }

  items(prefix = '/hook'): Json[] {
    return this.posts(prefix).flat();
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
