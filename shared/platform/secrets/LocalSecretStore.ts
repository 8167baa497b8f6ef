import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { type SecretInfo, type SecretStore } from './SecretStore';

const FileSchema = z.record(z.string(), z.string());

/**
 * Secrets for local runs (there is no Key Vault emulator): a JSON file mapping names to values, readable
 * only by its owner (0600) and kept out of git (.local/ is ignored). Certificates are PEM strings under
 * their name. `seed` values are written into the file when the store is built (they win over stored ones).
 * File access is synchronous so concurrent calls never interleave a read-modify-write. A deleted name is gone
 * at once (no soft delete), so delete-then-write works as it does on Key Vault through KeyVaultSecretStore.
 */
export class LocalSecretStore implements SecretStore {
  constructor(
    private readonly filePath: string,
    seed: Record<string, string> = {},
  ) {
    if (Object.keys(seed).length > 0) this.write({ ...this.read(), ...seed });
  }

  async getSecret(name: string): Promise<string> {
    const value = this.read()[name];
    if (value === undefined) throw new AppError('NOT_FOUND', `secret ${name} does not exist in the local secret file`);
    return value;
  }

  async setSecret(name: string, value: string): Promise<void> {
    this.write({ ...this.read(), [name]: value });
  }

  async deleteSecret(name: string): Promise<void> {
    const values = this.read();
    if (!(name in values)) return;
    delete values[name];
    this.write(values);
  }

  /** The local file keeps no times: an existing secret is reported without `updatedOn`. */
  async describeSecret(name: string): Promise<SecretInfo | undefined> {
    return Object.hasOwn(this.read(), name) ? {} : undefined;
  }

  async getCertificatePem(name: string): Promise<string> {
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
