import { HttpRequest, InvocationContext } from '@azure/functions';
import { adminHandler, adminRoutes } from '../../shared/admin/adminRoutes';
import { type Services } from '../../shared/app/Services';

export interface AdminCallInit {
  method: string;
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface AdminAnswer {
  status: number;
  body: any;
  headers: Record<string, string> | undefined;
}

/**
 * Calls an admin route by name through adminHandler (error mapping included) with a real HttpRequest; what the
 * invocation logs goes to `onLog`. A non-string body is sent as JSON.
 */
export function adminCaller(services: () => Services, onLog: (line: string) => void = () => undefined) {
  return async (name: string, init: AdminCallInit): Promise<AdminAnswer> => {
    const route = adminRoutes.find((r) => r.name === name);
    if (!route) throw new Error(`no admin route ${name}`);
    const text = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    const request = new HttpRequest({
      method: init.method,
      url: `http://localhost:7071/api/${route.route}${init.query ? `?${init.query}` : ''}`,
      params: init.params ?? {},
      headers: init.headers ?? (text !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(text !== undefined ? { body: { string: text } } : {}),
    });
    const context = new InvocationContext({
      functionName: name,
      invocationId: 'test',
      logHandler: (_level, ...args) => onLog(args.map(String).join(' ')),
    });
    const response = await adminHandler(route, async () => services())(request, context);
    // A JSON answer is read as its object; a file (a certificate) or a page as the body it carries.
    const body = response.jsonBody !== undefined ? response.jsonBody : response.body;
    return { status: response.status ?? 200, body, headers: response.headers as Record<string, string> | undefined };
  };
}
