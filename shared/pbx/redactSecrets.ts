/**
 * Replaces every occurrence of the given secrets (passwords, client secrets, tokens we sent) with "***" in a
 * string, or in every string inside an array or object, in case the PBX echoes one back in an error.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  return redact(value, secrets) as T;
}

function redact(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return secrets.reduce((text, secret) => (secret ? text.split(secret).join('***') : text), value);
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secrets)]));
  return value;
}
