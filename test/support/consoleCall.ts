import { HttpRequest, InvocationContext } from '@azure/functions';
import { type Services } from '../../shared/app/Services';
import { ConsoleGate } from '../../shared/console/consoleGate';
import { localConsoleSettings } from '../../shared/console/consoleSettings';
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

/** The admin key of the local console the handler tests sign in with. */
export const TEST_ADMIN_KEY = 'k'.repeat(43);

/**
 * A console signed in with the admin key, as a browser does (the sign-in form's pre-session cookie and token,
 * then the post): its caller, and a session's cookie and form token (any page of the session carries it).
 */
export function localConsole(services: () => Services) {
  const gate = new ConsoleGate(localConsoleSettings(TEST_ADMIN_KEY));
  const call = consoleCaller(services, () => gate);
  const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1];
  const cookieOf = (setCookie: string | undefined) => setCookie?.split(';')[0] ?? '';
  const signIn = async (): Promise<{ cookie: string; csrf: string }> => {
    const form = await call('consoleHome');
    const answer = await call('consoleSignIn', {
      form: { key: TEST_ADMIN_KEY, csrf: csrfOf(form.body)! },
      headers: { cookie: cookieOf(form.headers['set-cookie']) },
    });
    const cookie = cookieOf(answer.headers['set-cookie']);
    const home = await call('consoleHome', { headers: { cookie } });
    return { cookie, csrf: csrfOf(home.body)! };
  };
  return { call, signIn };
}
