/** What a run did to one source object, in the order the run change list shows them. */
export const RUN_CHANGE_OUTCOMES = [
  'created',
  'updated',
  'adopted',
  'disabled',
  'deleted',
  'unlinked',
  'unchanged',
  'outOfScope',
  'skipped',
  'failed',
] as const;

export type RunChangeOutcome = (typeof RUN_CHANGE_OUTCOMES)[number];

/** Outcomes that carry nothing beyond the item itself. */
export type PlainRunChangeOutcome = Exclude<RunChangeOutcome, 'updated' | 'outOfScope' | 'skipped' | 'failed'>;

interface RunChangeBase {
  /** The feature that ran (e.g. users). */
  feature: string;
  /** The source object's id (for users: the Entra object id). */
  sourceId: string;
  /** Something a person recognises (UPN, display name); absent when the source did not say (e.g. a deleted user). */
  label?: string | undefined;
  /** The PBX record's id, when known. */
  pbxId?: string | undefined;
  /** The PBX extension number, when known. */
  extension?: string | undefined;
  /** When it happened (ISO 8601). */
  at: string;
}

/**
 * One item of a run's change list: source object → PBX record. Names and codes only, never values: an
 * update lists the names of the fields it wrote, not what they hold (PBX records carry passwords and PINs).
 */
export type RunChange = RunChangeBase &
  (
    | { outcome: PlainRunChangeOutcome }
    /** `fields`: the names of the PBX fields written. */
    | { outcome: 'updated'; fields: string[] }
    /** `reason`: a stable code (e.g. guest, notInGroups; missingName, extensionCollision). */
    | { outcome: 'outOfScope' | 'skipped'; reason: string }
    /** `code`: a stable error code (e.g. PBX VALIDATE_FAILED); `message`: what went wrong, cut and scrubbed. */
    | { outcome: 'failed'; code: string; message: string }
  );

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a runner hands the recorder: a RunChange whose time defaults to when it was added. */
export type RunChangeInput = DistributiveOmit<RunChange, 'at'> & { at?: string | undefined };

/** Longest stored values (characters); the rest is cut. Far under the 32K-character property limit. */
export const RUN_CHANGE_LIMITS = {
  id: 128,
  label: 256,
  extension: 64,
  at: 64,
  code: 128,
  message: 1000,
  fieldName: 64,
  fields: 64,
} as const;

/** Cuts text to at most `max` characters without splitting a surrogate pair (a lone half is invalid text). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  let keep = max - 1; // room for the ellipsis
  if (keep > 0 && /[\uD800-\uDBFF]/.test(text.charAt(keep - 1))) keep -= 1;
  return `${text.slice(0, keep)}…`;
}

// `password=…`, `"pin": "…"`, `Bearer …`: values that look like credentials, should an upstream message echo one.
const SECRET_ASSIGNMENT =
  /("?\b(?:password|passwd|pwd|pin|secret|client_secret|token|access_token|refresh_token|api[_-]?key|authorization)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Masks credential-looking values in free text (error messages come from the PBX and Graph verbatim). */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_ASSIGNMENT, '$1***').replace(BEARER, '$1 ***');
}

const optionalCut = (value: string | undefined, max: number) => (value === undefined || value === '' ? undefined : cutText(value, max));

/**
 * The item as stored: only the known properties are copied (a caller that spreads a PBX user into an
 * item cannot leak its password), long values are cut, and messages are scrubbed of credentials.
 */
export function toRunChange(input: RunChangeInput, now: Date): RunChange {
  const base: RunChangeBase = {
    feature: cutText(input.feature, RUN_CHANGE_LIMITS.code),
    sourceId: cutText(input.sourceId, RUN_CHANGE_LIMITS.id),
    label: optionalCut(input.label, RUN_CHANGE_LIMITS.label),
    pbxId: optionalCut(input.pbxId, RUN_CHANGE_LIMITS.id),
    extension: optionalCut(input.extension, RUN_CHANGE_LIMITS.extension),
    at: input.at === undefined ? now.toISOString() : cutText(input.at, RUN_CHANGE_LIMITS.at),
  };
  for (const key of ['label', 'pbxId', 'extension'] as const) if (base[key] === undefined) delete base[key];
  switch (input.outcome) {
    case 'updated': {
      const names = [...new Set(input.fields.map((name) => cutText(name, RUN_CHANGE_LIMITS.fieldName)))];
      return { ...base, outcome: 'updated', fields: names.slice(0, RUN_CHANGE_LIMITS.fields) };
    }
    case 'outOfScope':
    case 'skipped':
      return { ...base, outcome: input.outcome, reason: cutText(input.reason, RUN_CHANGE_LIMITS.code) };
    case 'failed':
      return {
        ...base,
        outcome: 'failed',
        code: cutText(input.code, RUN_CHANGE_LIMITS.code),
        message: cutText(scrubSecrets(input.message), RUN_CHANGE_LIMITS.message),
      };
    case 'created':
    case 'adopted':
    case 'disabled':
    case 'deleted':
    case 'unlinked':
    case 'unchanged':
      return { ...base, outcome: input.outcome };
  }
}
