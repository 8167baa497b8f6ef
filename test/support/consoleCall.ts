import { HttpRequest, InvocationContext } from '@azure/functions';
import { type Services } from '../../shared/app/Services';
import { type ConsoleGate } from '../../shared/console/consoleGate';
import { consoleHandler, consoleRoutes } from '../../shared/console/consoleRoutes';

export interface ConsoleCallInit {
  method?: string;
  params?: Record<string, string>;
  query?: string;
  form?: Record<string, string> | URLSearchParams;
  headers?: Record<string, string>;
  /** The page's origin (default http://localhost:7071). */
  origin?: string;
  cookie?: string;
}

export interface ConsolePage {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Markup with its whitespace collapsed, so tests match text regardless of how the templates are laid out. */
export const collapseSpace = (text: string) => text.replace(/\s+/g, ' ').replace(/> /g, '>').replace(/ </g, '<');

/**
 * Calls console routes by name through consoleHandler with a real HttpRequest and InvocationContext, as the host
 * would. `formOrigin`: forms are posted with that Origin, as a browser on the page does.
 */
export function consoleCaller(
  services: () => Services,
  gate: () => ConsoleGate,
  options: { formOrigin?: string; normalize?: (body: string) => string } = {},
) {
  const normalize = options.normalize ?? collapseSpace;
  return async (name: string, init: ConsoleCallInit = {}): Promise<ConsolePage> => {
    const route = consoleRoutes.find((r) => r.name === name)!;
    const path = route.route.replace(/\{(\w+)\}/g, (_, key: string) => init.params?.[key] ?? '');
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
    const request = new HttpRequest({
      method: init.method ?? route.methods[0]!,
      url: `${init.origin ?? 'http://localhost:7071'}/api/${path}${init.query ? `?${init.query}` : ''}`,
      params: init.params ?? {},
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(body !== undefined && options.formOrigin ? { origin: options.formOrigin } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...init.headers,
      },
      ...(body !== undefined ? { body: { string: body } } : {}),
    });
    const context = new InvocationContext({ functionName: name, invocationId: 'test', logHandler: () => undefined });
    const response = await consoleHandler(route, async () => services(), gate)(request, context);
    return {
      status: response.status ?? 200,
      body: typeof response.body === 'string' ? normalize(response.body) : '',
      headers: (response.headers ?? {}) as Record<string, string>,
    };
  };
}
