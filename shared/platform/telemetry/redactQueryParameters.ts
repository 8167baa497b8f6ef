import { IncomingMessage } from 'node:http';
import { type Span } from '@opentelemetry/api';

/**
 * Query parameters whose values are secrets: `code` (a function key), `validationToken` (Graph's handshake),
 * `clientState` (a subscription's shared secret), and the HTTP instrumentation's own defaults (signed URLs,
 * e.g. a storage SAS `sig`), which its `redactedQueryParams` option replaces rather than extends.
 */
export const SECRET_QUERY_PARAMETERS = ['code', 'validationToken', 'clientState', 'sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'];

const SECRET_NAMES = new Set(SECRET_QUERY_PARAMETERS.map((name) => name.toLowerCase()));

/** A query string (without `?`) with every secret parameter's value replaced by REDACTED, names matched in any case. */
export function redactQuery(query: string): string {
  const parameters = new URLSearchParams(query);
  let redacted = false;
  for (const name of new Set(parameters.keys())) {
    if (!SECRET_NAMES.has(name.toLowerCase())) continue;
    parameters.set(name, 'REDACTED');
    redacted = true;
  }
  return redacted ? parameters.toString() : query;
}

/**
 * The options of the HTTP instrumentation `useAzureMonitor` registers. Outgoing requests: `url.full` is redacted
 * by the instrumentation from `redactedQueryParams`. Incoming requests: it records `url.query` verbatim, so the
 * request hook overwrites it with the redacted query. Headers (Authorization, x-functions-key) are not recorded
 * unless configured, and are not.
 */
export const httpInstrumentationOptions = {
  enabled: true,
  redactedQueryParams: SECRET_QUERY_PARAMETERS,
  requestHook(span: Span, request: object): void {
    if (!(request instanceof IncomingMessage) || request.url === undefined) return;
    const start = request.url.indexOf('?');
    if (start >= 0) span.setAttribute('url.query', redactQuery(request.url.slice(start + 1)));
  },
};
