import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { type SecretInfo, type SecretStore } from './SecretStore';

const FileSchema = z.record(z.string(), z.string());

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
  constructor(
    private readonly filePath: string,
    seed: Record<string, string> = {},
  ) {
    for (const [name, value] of Object.entries(seed)) checkWrite(name, value);
    if (Object.keys(seed).length > 0) this.write({ ...this.read(), ...seed });
  }

  async getSecret(name: string): Promise<string> {
    checkName(name);
    const value = this.read()[name];
    if (value === undefined) throw new AppError('NOT_FOUND', `secret ${name} does not exist in the local secret file`);
    return value;
  }

  async setSecret(name: string, value: string): Promise<void> {
    checkWrite(name, value);
    this.write({ ...this.read(), [name]: value });
  }

  async deleteSecret(name: string): Promise<void> {
    checkName(name);
    const values = this.read();
    if (!(name in values)) return;
    delete values[name];
    this.write(values);
  }

  /** The local file keeps no times: an existing secret is reported without `updatedOn`. */
  async describeSecret(name: string): Promise<SecretInfo | undefined> {
    checkName(name);
    return Object.hasOwn(this.read(), name) ? {} : undefined;
  }

  async getCertificatePem(name: string): Promise<string> {
    checkName(name);
    const value = this.read()[name];
    if (value === undefined) throw new AppError('NOT_FOUND', `certificate ${name} does not exist in the local secret file`);
    return value;
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(this.filePath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new AppError(
        'CONFIG',
        `local secret file ${this.filePath} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // JSON.parse quotes the text near the error: that could be a secret, so its message is not kept.
      throw new AppError('CONFIG', `local secret file ${this.filePath} is not valid JSON`);
    }
    const values = FileSchema.safeParse(parsed);
    if (!values.success)
      throw new AppError('CONFIG', `local secret file ${this.filePath} must be a JSON object mapping names to string values`);
    return values.data;
  }

  /** Writes a sibling temp file and renames it over the old one, so a crash never leaves half a file. */
  private write(values: Record<string, string>): void {
    mkdirSync(dirname(this.filePath), { recursive: true, mode: 0o700 });
    const temp = `${this.filePath}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.filePath);
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
