import { z } from 'zod';

export const EVENT_AUTH_METHODS = ['DISABLE', 'BASIC', 'DIGEST', 'BEARER'] as const;
export type EventAuthMethod = (typeof EVENT_AUTH_METHODS)[number];

/** Where the PBX posts one kind of event (`cdr_event` or `extension_event` of `/api/tenant`), secrets included. */
export interface EventTarget {
  enabled: boolean;
  auth: EventAuthMethod;
  username: string | null;
  password: string | null;
  token: string | null;
  url: string | null;
}

export const disabledEventTarget = (): EventTarget => ({
  enabled: false,
  auth: 'DISABLE',
  username: null,
  password: null,
  token: null,
  url: null,
});

const isHttpUrl = (text: string): boolean => {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

// The spec gives username, password and url the pattern [a-z0-9]{6,64}; for url it is a copy-paste slip
// (reference/portsip.md §6), and for the credentials it is unverified, so only the lengths are enforced.
const credential = z.string({ error: 'must be a string' }).min(6, 'must be 6-64 characters').max(64, 'must be 6-64 characters');

export const EventTargetBody = z.object({
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  auth: z.enum(EVENT_AUTH_METHODS, { error: `must be one of ${EVENT_AUTH_METHODS.join(', ')}` }).optional(),
  username: credential.optional(),
  password: credential.optional(),
  token: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(1024, 'must be at most 1024 characters').optional(),
  url: z
    .string({ error: 'must be a string' })
    .min(1, 'must be 1-128 characters')
    .max(128, 'must be 1-128 characters')
    .refine(isHttpUrl, 'must be an http or https URL')
    .optional(),
});
export type EventTargetUpdate = z.output<typeof EventTargetBody>;

/** `POST /api/tenant`: the fields the sandbox keeps; the spec's other tenant settings are ignored, as unknown fields are elsewhere. */
export const TenantUpdateBody = z.object({
  name: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(1024, 'must be at most 1024 characters').optional(),
  cdr_event: EventTargetBody.optional(),
  extension_event: EventTargetBody.optional(),
});

/** A partial update keeps what it leaves out, so a client that reads (secrets omitted) and writes back loses no secret. */
export function mergedEventTarget(current: EventTarget, update: EventTargetUpdate): EventTarget {
  const merged: EventTarget = { ...current };
  if (update.enabled !== undefined) merged.enabled = update.enabled;
  if (update.auth !== undefined) merged.auth = update.auth;
  if (update.username !== undefined) merged.username = update.username;
  if (update.password !== undefined) merged.password = update.password;
  if (update.token !== undefined) merged.token = update.token;
  if (update.url !== undefined) merged.url = update.url;
  return merged;
}

/** Why an enabled target could not deliver (the field to blame and why), or undefined when it can. */
export function eventTargetProblem(target: EventTarget): { field: string; message: string } | undefined {
  if (!target.enabled) return undefined;
  if (!target.url) return { field: 'url', message: 'is required when the event is enabled' };
  if (target.auth === 'BEARER' && !target.token) return { field: 'token', message: 'is required when auth is BEARER' };
  if ((target.auth === 'BASIC' || target.auth === 'DIGEST') && (!target.username || !target.password))
    return { field: target.username ? 'password' : 'username', message: `is required when auth is ${target.auth}` };
  return undefined;
}

/** How `GET /api/tenant` shows a target: the password and token are left out, never echoed back. */
export function eventTargetView(target: EventTarget): {
  enabled: boolean;
  auth: EventAuthMethod;
  username: string | null;
  url: string | null;
} {
  return { enabled: target.enabled, auth: target.auth, username: target.username, url: target.url };
}
