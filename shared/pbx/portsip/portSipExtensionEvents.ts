import { z } from 'zod';
import { type PbxCallEvent } from '../ports/PbxCallEvent';

/** Events one request may carry; PortSIP sends one per request, a buffered batch stays far below this. */
export const MAX_EXTENSION_EVENTS_PER_REQUEST = 100;

/**
 * PortSIP's extension events as its WSI documents them (the webhook's payload is undocumented beyond "the same
 * messages"): `extension_call` per call change, `extension_status` with a list per extension. Parsing is
 * tolerant where PortSIP's own documents disagree (time in seconds or milliseconds, as a string or a number;
 * the extension as a number or a SIP URI; the v22.1 and v22.3 value names) and strict where a guess would be
 * a wrong Teams state (an unknown call status).
 */
const Text = z.union([z.string(), z.number()]).transform(String);
const CallStatus = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.enum(['ON_CALL', 'OTHER_CALL', 'TALKING', 'RINGING', '', 'IDLE', 'NONE']));
const Time = z.union([z.string(), z.number()]).optional();

const ExtensionCall = z.object({
  event_type: z.literal('extension_call'),
  extension: Text.optional(),
  extension_id: Text.optional(),
  call_status: CallStatus.nullable().transform((s) => s ?? ''),
  time: Time,
});
const StatusItem = z.object({
  extension: Text.optional(),
  extension_id: Text.optional(),
  call_status: CallStatus.nullable()
    .optional()
    .transform((s) => s ?? ''),
  time: Time,
});
const ExtensionStatus = z.object({
  event_type: z.literal('extension_status'),
  status: z.array(StatusItem).max(MAX_EXTENSION_EVENTS_PER_REQUEST),
  time: Time,
});
const AnyEvent = z.object({ event_type: z.string().min(1).max(64) });

export interface ParsedExtensionEvents {
  events: PbxCallEvent[];
  /** Well-formed events the connector has no use for (presence changes, queue events…). */
  ignored: number;
  /** Events that could not be understood, with why (their index in the request). */
  invalid: { index: number; reason: string }[];
}

/** Reads one webhook request's body (already JSON-parsed): one event or an array of them. */
export function parsePortSipExtensionEvents(body: unknown, arrivedAt: Date): ParsedExtensionEvents {
  const items = Array.isArray(body) ? body : [body];
  const parsed: ParsedExtensionEvents = { events: [], ignored: 0, invalid: [] };
  if (items.length > MAX_EXTENSION_EVENTS_PER_REQUEST) {
    parsed.invalid.push({ index: 0, reason: `more than ${MAX_EXTENSION_EVENTS_PER_REQUEST} events in one request` });
    return parsed;
  }
  items.forEach((item, index) => {
    const kind = AnyEvent.safeParse(item);
    if (!kind.success) return parsed.invalid.push({ index, reason: 'not an event: an object with an event_type is expected' });
    if (kind.data.event_type === 'extension_call') {
      const call = ExtensionCall.safeParse(item);
      if (!call.success) return parsed.invalid.push({ index, reason: `extension_call: ${issueOf(call.error)}` });
      const event = callEventOf(call.data, call.data.time, arrivedAt);
      return event ? parsed.events.push(event) : parsed.invalid.push({ index, reason: 'extension_call names no extension' });
    }
    if (kind.data.event_type === 'extension_status') {
      const status = ExtensionStatus.safeParse(item);
      if (!status.success) return parsed.invalid.push({ index, reason: `extension_status: ${issueOf(status.error)}` });
      for (const entry of status.data.status) {
        const event = callEventOf(entry, entry.time ?? status.data.time, arrivedAt);
        if (event) parsed.events.push(event);
      }
      return;
    }
    parsed.ignored += 1;
  });
  return parsed;
}

function callEventOf(
  item: { extension?: string | undefined; extension_id?: string | undefined; call_status: string },
  time: string | number | undefined,
  arrivedAt: Date,
): PbxCallEvent | undefined {
  const extensionNumber = numberOf(item.extension);
  const pbxUserId = item.extension_id?.trim() || undefined;
  if (!extensionNumber && !pbxUserId) return undefined;
  const state = ['ON_CALL', 'OTHER_CALL', 'TALKING'].includes(item.call_status)
    ? 'onCall'
    : item.call_status === 'RINGING'
      ? 'ringing'
      : 'idle';
  return { pbxUserId, extensionNumber, state, at: timeOf(time) ?? arrivedAt };
}

/** "101", 101 or "sip:101@contoso.pbx" → "101". */
function numberOf(extension: string | undefined): string | undefined {
  if (!extension) return undefined;
  const match = /^(?:sips?:)?([^@;]+)/i.exec(extension.trim());
  return match?.[1] || undefined;
}

/** Unix seconds or milliseconds (string or number), or an ISO-8601 string; undefined when none of these. */
function timeOf(time: string | number | undefined): Date | undefined {
  if (time === undefined || time === '') return undefined;
  const numeric = typeof time === 'number' ? time : /^\d+(\.\d+)?$/.test(time) ? Number(time) : undefined;
  const ms = numeric === undefined ? Date.parse(String(time)) : numeric > 1e12 ? numeric : numeric * 1000;
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}

function issueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid';
}
