import { AppError, isAppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type CertificateStore, type CertificateVersion } from '../platform/certificates/CertificateStore';
import { type ApplicationKeys } from './ApplicationKeys';
import { type CertificateRolloverState, type CredentialStateStore, type GraphCredentialState } from './CredentialStateStore';
import { keyMatchesThumbprint } from './keyMatchesThumbprint';
import { nextRolloverStep } from './nextRolloverStep';
import { signProofOfPossession } from './proofOfPossession';

/** The Graph side of one certificate version: the app's keys through a client signed in with it, and a token probe. */
export interface CertificateSignIn {
  applicationKeys: ApplicationKeys;
  /** `refused` when Entra does not (yet) know the key (AADSTS700027 and kin); other failures throw. */
  probe(): Promise<'accepted' | 'refused'>;
}

export interface CertificateRolloverDeps {
  certificates: CertificateStore;
  states: CredentialStateStore;
  /** Signs in with one version's private key + certificate PEM. */
  signIn(privateKeyPem: string): Promise<CertificateSignIn>;
  now(): Date;
  log: Logger;
}

/** Whose certificate: a tenant's managed one, or the shared app's. */
export interface RolloverTarget {
  owner: string;
  certificateName: string;
  /** Unset: the connector cannot register keys and waits for the admin to upload the new version. */
  applicationObjectId?: string | undefined;
}

export interface RolloverReport {
  activeVersion?: string | undefined;
  activeThumbprint?: string | undefined;
  /** What this check did, in order, in plain words. */
  actions: string[];
  outcome: string;
}

/** A rollover never takes more steps than adopt + register + probe + remove per version; this bounds a confused state. */
const MAX_STEPS = 12;

/**
 * One rollover check (run by the tenant's credentials job and by POST …/certificate/roll): applies
 * nextRolloverStep until it is done, saving the state after every step with its etag, so a crash between
 * "Entra has the key" and "the state says so" is found again by the next check (addKey answers CONFLICT, probe
 * re-runs) and two checks never both win.
 */
export async function rollCertificate(deps: CertificateRolloverDeps, target: RolloverTarget): Promise<RolloverReport> {
  const actions: string[] = [];
  const refused = new Set<string>();
  const stored = await deps.states.get(target.owner);
  let whole: GraphCredentialState = stored?.state ?? {};
  let etag = stored?.etag;
  const state: CertificateRolloverState = structuredClone(whole.certificate ?? { keys: [] });
  const save = async (outcome: string, error?: string) => {
    state.lastCheckedAt = deps.now().toISOString();
    state.lastOutcome = outcome;
    state.lastError = error;
    whole = { ...whole, certificate: state };
    etag = await deps.states.put(target.owner, whole, etag);
  };
  const versions = await deps.certificates.listVersions(target.certificateName);
  const byVersion = (v: string) => versions.find((x) => x.version === v);
  // A step reads a version's key for the sign-in and again for its proof: one store read per version and check.
  const pems = new Map<string, Promise<string>>();
  const ders = new Map<string, Promise<Buffer>>();
  const once = <T>(cache: Map<string, Promise<T>>, version: string, read: () => Promise<T>) => {
    if (!cache.has(version)) cache.set(version, read());
    return cache.get(version)!;
  };
  const pemOf = (v: CertificateVersion) =>
    once(pems, v.version, () => deps.certificates.getPrivateKeyPem(target.certificateName, v.version));
  const derOf = (v: CertificateVersion) =>
    once(ders, v.version, () => deps.certificates.getCertificateDer(target.certificateName, v.version));
  const proofFrom = async (v: CertificateVersion) =>
    signProofOfPossession({
      privateKeyPem: await pemOf(v),
      certificateDer: await derOf(v),
      applicationObjectId: target.applicationObjectId!,
      now: deps.now(),
    });
  try {
    for (let i = 0; i < MAX_STEPS; i++) {
      const step = nextRolloverStep({
        versions,
        state,
        now: deps.now(),
        canRegister: target.applicationObjectId !== undefined,
        refused,
      });
      if (step.kind === 'done') {
        await save(step.reason);
        break;
      }
      if (step.kind === 'adopt') {
        state.activeVersion = step.version.version;
        actions.push(`signs in with version ${step.version.thumbprint}`);
        await save(`signs in with ${step.version.thumbprint}`);
        continue;
      }
      if (step.kind === 'register') {
        const signIn = await deps.signIn(await pemOf(step.signWith));
        let keyId: string | undefined;
        try {
          ({ keyId } = await signIn.applicationKeys.addKey({
            applicationObjectId: target.applicationObjectId!,
            certificateDer: await derOf(step.version),
            displayName: `m365-pbx-connector ${step.version.notBefore.toISOString().slice(0, 10)}`,
            proof: await proofFrom(step.signWith),
          }));
          actions.push(`registered version ${step.version.thumbprint} on the app`);
        } catch (err) {
          if (!isAppError(err, 'CONFLICT')) throw err;
          actions.push(`version ${step.version.thumbprint} was on the app already`);
        }
        state.keys.push({ version: step.version.version, thumbprint: step.version.thumbprint, keyId, registeredBy: 'connector' });
        await save(`registered ${step.version.thumbprint}`);
        continue;
      }
      if (step.kind === 'probe') {
        const verdict = await (await deps.signIn(await pemOf(step.version))).probe();
        if (verdict === 'refused') {
          refused.add(step.version.version);
          actions.push(`Entra does not accept version ${step.version.thumbprint} yet`);
          continue;
        }
        const previous = state.activeVersion ? byVersion(state.activeVersion) : undefined;
        if (previous) {
          const known = state.keys.find((k) => k.version === previous.version);
          if (known) known.retiring = true;
          else state.keys.push({ version: previous.version, thumbprint: previous.thumbprint, registeredBy: 'admin', retiring: true });
        }
        if (!state.keys.some((k) => k.version === step.version.version)) {
          state.keys.push({ version: step.version.version, thumbprint: step.version.thumbprint, registeredBy: 'admin' });
        }
        state.activeVersion = step.version.version;
        actions.push(`switched to version ${step.version.thumbprint}`);
        await save(`signs in with ${step.version.thumbprint}`);
        continue;
      }
      // remove
      const key = state.keys.find((k) => k.thumbprint === step.thumbprint)!;
      const signIn = await deps.signIn(await pemOf(step.signWith));
      const objectId = target.applicationObjectId!;
      let keyId = key.keyId;
      if (!keyId) {
        try {
          keyId = (await signIn.applicationKeys.listKeyCredentials(objectId)).find((k) => keyMatchesThumbprint(k, key.thumbprint))?.keyId;
        } catch (err) {
          if (!isAppError(err, 'FORBIDDEN')) throw err;
          key.removalProblem =
            `the app may not read its own registration, so the old certificate ${key.thumbprint} stays on it; ` +
            'remove it under Certificates & secrets in the app registration';
          actions.push(`could not look up the old certificate ${key.thumbprint}`);
          await save(key.removalProblem);
          continue;
        }
      }
      if (keyId) {
        try {
          await signIn.applicationKeys.removeKey({ applicationObjectId: objectId, keyId, proof: await proofFrom(step.signWith) });
          actions.push(`removed the old certificate ${key.thumbprint} from the app`);
        } catch (err) {
          if (!isAppError(err, 'NOT_FOUND')) throw err;
          actions.push(`the old certificate ${key.thumbprint} was gone from the app already`);
        }
      } else {
        actions.push(`the old certificate ${key.thumbprint} is not on the app`);
      }
      state.keys = state.keys.filter((k) => k !== key);
      await save(`removed ${key.thumbprint}`);
    }
  } catch (err) {
    const error = ensureError(err);
    deps.log.warn('certificate rollover check failed', { owner: target.owner, error: error.message });
    if (!isAppError(err, 'PRECONDITION_FAILED')) await save('the check failed', error.message).catch(() => undefined);
    throw err instanceof AppError ? err : new AppError('TRANSIENT', `certificate rollover: ${error.message}`, { cause: err });
  }
  const active = state.activeVersion ? byVersion(state.activeVersion) : undefined;
  return { activeVersion: active?.version, activeThumbprint: active?.thumbprint, actions, outcome: state.lastOutcome ?? '' };
}
