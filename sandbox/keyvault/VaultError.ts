/**
 * A Key Vault refusal: status, Key Vault's error code and message, sent in its `{ error: { code, message,
 * innererror? } }` envelope (a soft-deleted name is `Conflict` with inner code `ObjectIsDeletedButRecoverable`).
 */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'VaultError';
  }

  get body(): object {
    return {
      error: { code: this.code, message: this.message, ...(this.innerCode ? { innererror: { code: this.innerCode } } : {}) },
    };
  }
}

/** Key Vault's object names: 1–127 letters, digits and dashes. */
const OBJECT_NAME = /^[0-9A-Za-z-]{1,127}$/;
/** Versions are 32 lower-case hex digits; Key Vault answers any other version as not found. */
const VERSION = /^[0-9a-f]{32}$/;

export function checkObjectName(name: string, kind: 'certificate' | 'secret' | 'key'): void {
  if (!OBJECT_NAME.test(name))
    throw new VaultError(
      400,
      'BadParameter',
      `The request URI contains an invalid ${kind} name. Names are 1-127 characters: letters, digits and dashes.`,
    );
}

export function isVersion(text: string): boolean {
  return VERSION.test(text);
}
