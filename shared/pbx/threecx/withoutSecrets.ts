/**
 * The value with every occurrence of the given secrets (client secret, access token) replaced by "***", in a
 * string or in every string inside an array or object: 3CX might echo one in an error message.
 */
export function withoutSecrets<T>(value: T, secrets: readonly string[]): T {
  return redact(value, secrets) as T;
}

function redact(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return secrets.reduce((text, secret) => (secret ? text.split(secret).join('***') : text), value);
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secrets)]));
  return value;
}
