import { randomBytes, createPrivateKey, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { type SecretStore } from '../../../shared/platform/secrets/SecretStore';
import { TEST_CERTIFICATE_PEM } from '../../fixtures/testCertificate';
import { refusal } from '../../support/refusal';

/**
 * The behaviour every SecretStore implementation owes its callers, written once and run against each one
 * (localSecretStore.contract.test.ts, keyVaultSecretStore.contract.test.ts). Key Vault sets the limits: names are
 * 1–127 letters, digits and dashes, values at most 25 KB (25,600 bytes), and it refuses anything else with a 400
 * that keyVaultErrorFor maps to CONFIG.
 */
export type SecretStoreClause =
  | 'roundTrip'
  | 'setReplaces'
  | 'getMissing'
  | 'deleteIdempotent'
  | 'setAfterDelete'
  | 'describeExistence'
  | 'updatedOnAtWrite'
  | 'updatedOnMovesForward'
  | 'expiresOn'
  | 'invalidNames'
  | 'tooLargeValue'
  | 'valuesNotInErrors'
  | 'certificatePem'
  | 'certificateMissing';

/** One implementation under the contract, with the means to set up and tidy what the clauses need. */
export interface SecretStoreHarness {
  readonly store: SecretStore;
  /**
   * Clauses this implementation cannot show, each with the reason; they are listed as skipped tests with the
   * reason in their title, so what is not checked stays visible.
   */
  readonly uncheckable: Partial<Record<SecretStoreClause, string>>;
  /** How far apart two writes must be for `updatedOn` to tell them apart (Key Vault keeps whole seconds). */
  readonly updatedOnResolutionMs: number;
  /** Puts a certificate with its private key (PEM) under `name`, the way this implementation is given one. */
  putCertificate(name: string, pem: string): Promise<void>;
  /** Removes whatever the clauses may have written under these names (names never written included). */
  cleanUp(written: { secrets: string[]; certificates: string[] }): Promise<void>;
}

/** Key Vault's largest secret value (25 KB); the contract needs it stated, not read from an implementation. */
const VALUE_MAX_BYTES = 25 * 1024;
/** Clock difference allowed between this machine and the store when checking `updatedOn`. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Repeated to build values that are recognisable in any error text that quotes part of them. */
const LEAK_MARKER = 'do-not-leak-';

/** Names Key Vault refuses: an underscore, a space, a dot, non-ASCII letters, one character too many. */
const INVALID_NAMES = ['has_underscore', 'has space', 'dotted.name', 'ünïcode', 'n'.repeat(128)];

/**
 * Registers the contract's clauses in the enclosing describe block. The harness is built while the tests are
 * collected (its skip list decides which clauses run), so building it must touch neither files nor the network.
 */
export function secretStoreContract(makeHarness: () => SecretStoreHarness): void {
  const harness = makeHarness();
  const { store } = harness;
  // Unique per run, so a leftover of an earlier run (e.g. a Key Vault secret still soft-deleted) cannot interfere.
  const run = `contract-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const written = { secrets: [] as string[], certificates: [] as string[] };

  const secretName = (label: string, length?: number) => {
    const name = length === undefined ? `${run}-${label}` : `${run}-${label}-`.padEnd(length, 'x');
    written.secrets.push(name);
    return name;
  };
  const certificateName = (label: string) => {
    const name = `${run}-${label}`;
    written.certificates.push(name);
    return name;
  };

  // Key Vault deletes and purges one by one, each waited for: allow more than the default hook timeout.
  afterAll(() => harness.cleanUp(written), 300_000);

  const clause = (key: SecretStoreClause, title: string, body: () => Promise<void>) => {
    const reason = harness.uncheckable[key];
    if (reason) it.skip(`${title} — not checked here: ${reason}`, body);
    else it(title, body);
  };

  clause('roundTrip', 'get after set returns the value exactly: unicode, newlines, a value near the size limit', async () => {
    const values = {
      unicode: 'Grüße, 東京, emoji 🔐, combining é, rtl שלום',
      newlines: 'line 1\nline 2\r\nline 3\n\n',
      json: JSON.stringify({ username: 'admin', password: 'p@ss"\\word' }),
      nearLimit: 'v'.repeat(VALUE_MAX_BYTES - 600),
    };
    for (const [label, value] of Object.entries(values)) {
      const name = secretName(label.toLowerCase());
      await store.setSecret(name, value);
      expect(await store.getSecret(name)).toBe(value);
    }
  });

  clause('setReplaces', 'set replaces the value of an existing secret', async () => {
    const name = secretName('replaced');
    await store.setSecret(name, 'first');
    await store.setSecret(name, 'second');
    expect(await store.getSecret(name)).toBe('second');
  });

  clause('getMissing', 'get of a name never written fails with NOT_FOUND', async () => {
    await refusal(store.getSecret(secretName('never-written')), 'NOT_FOUND');
  });

  clause('deleteIdempotent', 'delete removes the secret and is idempotent (a missing name is no error)', async () => {
    await expect(store.deleteSecret(secretName('never-written-delete'))).resolves.toBeUndefined();
    const name = secretName('deleted-twice');
    await store.setSecret(name, 'value');
    await store.deleteSecret(name);
    await expect(store.deleteSecret(name)).resolves.toBeUndefined();
    await refusal(store.getSecret(name), 'NOT_FOUND');
  });

  clause('setAfterDelete', 'a deleted name can be written again at once (Key Vault soft delete included)', async () => {
    const name = secretName('rewritten-after-delete');
    await store.setSecret(name, 'old tenant');
    await store.deleteSecret(name);
    await refusal(store.getSecret(name), 'NOT_FOUND');
    await store.setSecret(name, 'new tenant');
    expect(await store.getSecret(name)).toBe('new tenant');
  });

  clause('describeExistence', 'describeSecret: undefined when missing, defined after set, undefined after delete', async () => {
    const name = secretName('described');
    expect(await store.describeSecret(name)).toBeUndefined();
    await store.setSecret(name, 'value');
    const info = await store.describeSecret(name);
    expect(info).toBeDefined();
    // SecretInfo tells when, never what: nothing but updatedOn may come back.
    expect(Object.keys(info!).filter((key) => key !== 'updatedOn')).toEqual([]);
    await store.deleteSecret(name);
    expect(await store.describeSecret(name)).toBeUndefined();
  });

  clause('updatedOnAtWrite', 'describeSecret gives updatedOn: the time of the write', async () => {
    const name = secretName('updated-on');
    const before = Date.now();
    await store.setSecret(name, 'value');
    const after = Date.now();
    const updatedOn = (await store.describeSecret(name))?.updatedOn;
    expect(updatedOn).toBeInstanceOf(Date);
    expect(updatedOn!.getTime()).toBeGreaterThanOrEqual(before - CLOCK_SKEW_MS);
    expect(updatedOn!.getTime()).toBeLessThanOrEqual(after + CLOCK_SKEW_MS);
  });

  clause('updatedOnMovesForward', 'updatedOn moves forward when the secret is written again', async () => {
    const name = secretName('updated-on-rewrite');
    await store.setSecret(name, 'first');
    const first = (await store.describeSecret(name))?.updatedOn;
    await new Promise((resolve) => setTimeout(resolve, harness.updatedOnResolutionMs + 100));
    await store.setSecret(name, 'second');
    const second = (await store.describeSecret(name))?.updatedOn;
    expect(first).toBeInstanceOf(Date);
    expect(second).toBeInstanceOf(Date);
    expect(second!.getTime()).toBeGreaterThan(first!.getTime());
  });

  clause('expiresOn', 'setSecret with expiresOn keeps it for describeSecret; a write without one clears it', async () => {
    const name = secretName('expiring');
    // Whole seconds: Key Vault keeps `exp` in seconds, and the value must come back exactly.
    const expiresOn = new Date(Math.floor(Date.now() / 1000) * 1000 + 45 * 86_400_000);
    await store.setSecret(name, 'expiring value', { expiresOn });
    expect(await store.getSecret(name)).toBe('expiring value');
    const info = await store.describeSecret(name);
    expect(info?.expiresOn).toBeInstanceOf(Date);
    expect(info!.expiresOn!.toISOString()).toBe(expiresOn.toISOString());
    await store.setSecret(name, 'value without expiry');
    expect(await store.getSecret(name)).toBe('value without expiry');
    expect((await store.describeSecret(name))?.expiresOn).toBeUndefined();
  });

  clause(
    'invalidNames',
    'names of 1–127 letters, digits and dashes work; any other name is refused with CONFIG by every call',
    async () => {
      const longest = secretName('longest', 127);
      await store.setSecret(longest, 'value');
      expect(await store.getSecret(longest)).toBe('value');
      const mixedCase = secretName('Mixed-CASE-0123');
      await store.setSecret(mixedCase, 'value');
      expect(await store.getSecret(mixedCase)).toBe('value');
      for (const name of INVALID_NAMES) {
        await refusal(store.setSecret(name, 'value'), 'CONFIG');
        await refusal(store.getSecret(name), 'CONFIG');
        await refusal(store.describeSecret(name), 'CONFIG');
        await refusal(store.deleteSecret(name), 'CONFIG');
        await refusal(store.getCertificatePem(name), 'CONFIG');
      }
    },
  );

  clause('tooLargeValue', 'a value over 25 KB is refused with CONFIG and nothing is written', async () => {
    const name = secretName('too-large');
    await refusal(store.setSecret(name, 'v'.repeat(VALUE_MAX_BYTES + 1)), 'CONFIG');
    await refusal(store.getSecret(name), 'NOT_FOUND');
  });

  clause('valuesNotInErrors', 'a refused value never appears in the error (too large, invalid name)', async () => {
    const tooLarge = LEAK_MARKER.repeat(Math.ceil((VALUE_MAX_BYTES + 1) / LEAK_MARKER.length));
    const refusals = [
      await refusal(store.setSecret(secretName('leak-too-large'), tooLarge), 'CONFIG'),
      await refusal(store.setSecret('has_underscore', LEAK_MARKER.repeat(3)), 'CONFIG'),
    ];
    for (const err of refusals) expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(LEAK_MARKER);
  });

  clause('certificatePem', 'getCertificatePem returns PEM holding the private key and its certificate', async () => {
    const name = certificateName('certificate');
    await harness.putCertificate(name, TEST_CERTIFICATE_PEM);
    const pem = await store.getCertificatePem(name);
    expect(pem).toMatch(/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/);
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    // The store may re-encode the key (Key Vault does): compare what they are, not their text.
    const certificate = new X509Certificate(pem);
    expect(certificate.fingerprint256).toBe(new X509Certificate(TEST_CERTIFICATE_PEM).fingerprint256);
    expect(certificate.checkPrivateKey(createPrivateKey(pem))).toBe(true);
  });

  clause('certificateMissing', 'getCertificatePem of a name never written fails with NOT_FOUND', async () => {
    await refusal(store.getCertificatePem(certificateName('never-written-certificate')), 'NOT_FOUND');
  });
}
