import { type PortSipSandbox } from '../../sandbox/portsip';

/** A sandbox PortSIP answer: the status, the raw text (for failure messages) and the parsed JSON body. */
export interface PortSipReply {
  status: number;
  text: string;
  body: unknown;
}

/** One REST request to the sandbox PortSIP, as the bearer of `token` when given, with `body` as JSON. */
export async function portSipRestCall(
  pbx: PortSipSandbox,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<PortSipReply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${pbx.baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as unknown) : undefined };
}
