/**
 * A `Retry-After` header as milliseconds from `now`: delay-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT", never negative). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always names its month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone would take "-3" as a year.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
