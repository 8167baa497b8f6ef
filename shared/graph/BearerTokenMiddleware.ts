import { type AuthenticationProvider, type Context, GraphClientError, type Middleware } from '@microsoft/microsoft-graph-client';
import { AppError } from '../core/errors/AppError';
import { credentialErrorFor } from './credentialErrorFor';

/**
 * The SDK rewraps anything a middleware throws into a GraphError (losing our code), except a
 * GraphClientError; graphErrorFor unwraps the AppError carried in customError.
 */
function carried(error: AppError): GraphClientError {
  const wrapper = new GraphClientError(error.message);
  wrapper.customError = error;
  return wrapper;
}

/**
 * Adds the bearer token to requests under the one Graph root this client was made for, and refuses any
 * other URL, so the token never travels to another host. (The SDK's AuthenticationHandler only recognises
 * https Graph hosts, which leaves out the loopback sandbox.)
 */
export class BearerTokenMiddleware implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly graphRoot: string,
  ) {}

  async execute(context: Context): Promise<void> {
    // The SDK types the request with the DOM's RequestInfo, which this Node build does not load.
    const request = context.request as unknown as string | { url: string };
    const url = typeof request === 'string' ? request : request.url;
    if (!url.startsWith(`${this.graphRoot}/`))
      throw carried(new AppError('INTERNAL', `refusing to send the Graph token to a URL outside ${this.graphRoot}`));
    let token: string;
    try {
      token = await this.provider.getAccessToken();
    } catch (err) {
      throw carried(credentialErrorFor(err));
    }
    const headers = new Headers(context.options?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    context.options = { ...context.options, headers };
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
