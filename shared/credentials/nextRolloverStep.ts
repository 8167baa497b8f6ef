import { type CertificateVersion } from '../platform/certificates/CertificateStore';
import { type CertificateRolloverState } from './CredentialStateStore';

/** What the rollover does next; the executor applies one step, records the outcome and asks again. */
export type RolloverStep =
  /** No version is chosen yet: sign in with this one (the version the admin uploads first). */
  | { kind: 'adopt'; version: CertificateVersion }
  /** Register the newer version on the app (addKey), proving possession with the active one. */
  | { kind: 'register'; version: CertificateVersion; signWith: CertificateVersion }
  /** Ask Entra for a token with the newer version; on success it becomes the active one. */
  | { kind: 'probe'; version: CertificateVersion }
  /** Remove a key the connector no longer signs in with (removeKey, signed with the active version). */
  | { kind: 'remove'; thumbprint: string; signWith: CertificateVersion }
  | { kind: 'done'; reason: string };

export interface RolloverInput {
  /** The certificate's versions, newest first (CertificateStore.listVersions). */
  versions: CertificateVersion[];
  state: CertificateRolloverState;
  now: Date;
  /** The app's object id is configured, so the connector may register keys itself. */
  canRegister: boolean;
  /** Versions a probe already refused in this pass (Entra does not accept them yet): not probed twice. */
  refused: ReadonlySet<string>;
}

const isUsable = (v: CertificateVersion, now: Date) => v.enabled && v.notBefore <= now && now < v.notAfter;

/**
 * The next rollover step, decided from facts alone (pure). The order keeps a working sign-in at every moment:
 * a newer version is registered while the old one still signs the proof, used only after Entra has issued a
 * token with it, and the old key is removed last, with a proof signed by the new one.
 */
export function nextRolloverStep(input: RolloverInput): RolloverStep {
  const { versions, state, now } = input;
  const usable = versions.filter((v) => isUsable(v, now));
  const newest = usable[0];
  if (!newest) return { kind: 'done', reason: 'the certificate has no enabled version valid now' };
  const active = versions.find((v) => v.version === state.activeVersion);
  if (!active) return { kind: 'adopt', version: newest };
  const activeUsable = isUsable(active, now);
  if (newest.version !== active.version && !input.refused.has(newest.version)) {
    const registered = state.keys.some((k) => k.version === newest.version);
    if (!registered && input.canRegister && activeUsable) return { kind: 'register', version: newest, signWith: active };
    return { kind: 'probe', version: newest };
  }
  const retiring = state.keys.find((k) => k.retiring && k.version !== active.version && !k.removalProblem);
  if (retiring && activeUsable && input.canRegister) return { kind: 'remove', thumbprint: retiring.thumbprint, signWith: active };
  if (newest.version !== active.version) return { kind: 'done', reason: `Entra does not accept version ${newest.thumbprint} yet` };
  return { kind: 'done', reason: 'the newest version is in use' };
}
