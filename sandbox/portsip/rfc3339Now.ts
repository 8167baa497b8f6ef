/** Now as PortSIP writes timestamps: RFC 3339 UTC without fractions, e.g. 2017-07-21T17:32:28Z. */
export function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
