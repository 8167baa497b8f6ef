import { AppError, isAppError } from '../../core/errors/AppError';

/** Why the connector cannot act as a user on the PBX (stable codes: run records and the status API show them). */
export const NO_USER_ACCESS_REASONS = [
  /** The connector adopted the user: it never set (and never sets) their password. */
  'adopted',
  /** Created before the connector kept passwords, or the kept one was lost. */
  'noPasswordKept',
  /** The PBX refused the kept password (the user changed it). */
  'passwordRejected',
  /** The PBX wants the user to choose a new password first. */
  'passwordResetRequired',
  /** The user turned on two-factor sign-in: an unattended session is impossible. */
  'twoFactorRequired',
] as const;
export type NoUserAccessReason = (typeof NO_USER_ACCESS_REASONS)[number];

const NO_USER_ACCESS = 'NO_USER_ACCESS';

/** The error a per-user port throws for a user it cannot act as: FORBIDDEN, with the reason as details. */
export function noUserAccess(reason: NoUserAccessReason, message: string): AppError {
  return new AppError('FORBIDDEN', message, { upstreamCode: NO_USER_ACCESS, details: { noUserAccess: reason } });
}

/** The reason, when `err` is a NoUserAccess error. */
export function noUserAccessReasonOf(err: unknown): NoUserAccessReason | undefined {
  if (!isAppError(err, 'FORBIDDEN') || err.upstreamCode !== NO_USER_ACCESS) return undefined;
  const reason = (err.details as { noUserAccess?: unknown } | undefined)?.noUserAccess;
  return NO_USER_ACCESS_REASONS.find((r) => r === reason);
}

/** A kept portal password and what the PBX last said of it. */
export interface KeptPortalPassword {
  password: string;
  /** Set once the PBX refused it; cleared when a new password is kept. */
  refused?: { reason: NoUserAccessReason; at: string } | undefined;
}

/**
 * Port: the portal passwords of the users the connector created on one tenant's PBX, keyed by the PBX login
 * name (fixed after creation). Kept encrypted (envelope encryption under a Key Vault key); a password never
 * appears in a log, an error, a response or a run record.
 */
export interface PortalPasswords {
  /**
   * The password to create `userName` with: the one already kept for it (an earlier create that may have
   * reached the PBX), else `generate()`'s, kept before it returns (write-ahead: a crash after the PBX create
   * never loses it).
   */
  reserve(userName: string, generate: () => string): Promise<string>;
  get(userName: string): Promise<KeptPortalPassword | null>;
  /** Keeps a new password (an admin reset), clearing any refusal. */
  replace(userName: string, password: string): Promise<void>;
  /** The PBX refused the kept password: later runs report the user instead of signing in again. */
  markRefused(userName: string, reason: NoUserAccessReason): Promise<void>;
  /** Idempotent (the user was deleted). */
  forget(userName: string): Promise<void>;
}
