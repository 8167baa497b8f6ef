import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { type SecretInfo, type SecretStore, type SetSecretOptions } from './SecretStore';
import { OwnerOnlyJsonFile } from '../ownerOnlyJsonFile';

/**
 * A value is stored as the plain string when it has no metadata (the file format of earlier versions, which they
 * still read), and as `{ value, expiresOn }` when it was written with an expiry.
 */
const EntrySchema = z.union([z.string(), z.object({ value: z.string(), expiresOn: z.iso.datetime().optional() }).strict()]);
const FileSchema = z.record(z.string(), EntrySchema);
type Entry = z.infer<typeof EntrySchema>;

const valueOf = (entry: Entry): string => (typeof entry === 'string' ? entry : entry.value);

/** Key Vault's object names: 1–127 letters, digits and dashes (anything else is a 400 there, CONFIG through keyVaultErrorFor). */
const KEY_VAULT_NAME = /^[0-9A-Za-z-]{1,127}$/;
/** Key Vault's largest secret value, in bytes (25 KB). */
const KEY_VAULT_VALUE_MAX_BYTES = 25 * 1024;

/**
 * Secrets for local runs (there is no Key Vault emulator): a JSON file mapping names to values, readable
 * only by its owner (0600) and kept out of git (.local/ is ignored). Certificates are PEM strings under
 * their name. `seed` values are written into the file when the store is built (they win over stored ones).
 * File access is synchronous so concurrent calls never interleave a read-modify-write. A deleted name is gone
 * at once (no soft delete), so delete-then-write works as it does on Key Vault through KeyVaultSecretStore.
 * Names and value sizes are held to Key Vault's limits, with the code Key Vault's refusal maps to (CONFIG), so a
 * name or value that works locally also works in Azure (test/contracts/secrets checks both against one contract).
 */
export class LocalSecretStore implements SecretStore {
  private readonly file: OwnerOnlyJsonFile<Record<string, Entry>>;

  constructor(filePath: string, seed: Record<string, string> = {}) {
    this.file = new OwnerOnlyJsonFile(
      filePath,
      'local secret file',
      FileSchema,
      'a JSON object mapping names to string values (or { value, expiresOn } objects)',
      () => ({}),
    );
    for (const [name, value] of Object.entries(seed)) checkWrite(name, value);
    // Seeds carry no expiry, so they are written in the plain form.
    if (Object.keys(seed).length > 0) this.file.write({ ...this.file.read(), ...seed });
  }

  async getSecret(name: string): Promise<string> {
    checkName(name);
    const entry = this.file.read()[name];
    if (entry === undefined) throw new AppError('NOT_FOUND', `secret ${name} does not exist in the local secret file`);
    return valueOf(entry);
  }

  async setSecret(name: string, value: string, options: SetSecretOptions = {}): Promise<void> {
    checkWrite(name, value);
    const { expiresOn } = options;
    if (expiresOn !== undefined && Number.isNaN(expiresOn.getTime()))
      throw new AppError('INVALID', `secret ${name}: expiresOn is not a valid date`);
    this.file.write({ ...this.file.read(), [name]: expiresOn ? { value, expiresOn: expiresOn.toISOString() } : value });
  }

  async deleteSecret(name: string): Promise<void> {
    checkName(name);
    const values = this.file.read();
    if (!(name in values)) return;
    delete values[name];
    this.file.write(values);
  }

  /** The local file keeps no write times: an existing secret is reported without `updatedOn`, with `expiresOn` when set. */
  async describeSecret(name: string): Promise<SecretInfo | undefined> {
    checkName(name);
    const values = this.file.read();
    if (!Object.hasOwn(values, name)) return undefined;
    const entry = values[name]!;
    return typeof entry !== 'string' && entry.expiresOn ? { expiresOn: new Date(entry.expiresOn) } : {};
  }

  async getCertificatePem(name: string): Promise<string> {
    checkName(name);
    const entry = this.file.read()[name];
    if (entry === undefined) throw new AppError('NOT_FOUND', `certificate ${name} does not exist in the local secret file`);
    return valueOf(entry);
  }
}

function checkName(name: string): void {
  if (!KEY_VAULT_NAME.test(name))
    throw new AppError('CONFIG', `secret name ${JSON.stringify(name)} is not a Key Vault name (1–127 letters, digits and dashes)`);
}

/** The message gives the value's size, never the value. */
function checkWrite(name: string, value: string): void {
  checkName(name);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > KEY_VAULT_VALUE_MAX_BYTES)
    throw new AppError('CONFIG', `secret ${name}: the value is ${bytes} bytes; Key Vault holds at most ${KEY_VAULT_VALUE_MAX_BYTES}`);
}
