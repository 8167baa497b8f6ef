import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors/AppError';
import { SecretStore } from './SecretStore';

/**
 * Secrets for local runs (no Key Vault emulator exists): a JSON file readable only by its owner, kept out of
 * git (.local/ is ignored). Certificates are stored as PEM strings under their name.
 */
export class LocalSecretStore implements SecretStore {
  constructor(private readonly filePath: string, seed: Record<string, string> = {}) {
    if (Object.keys(seed).length > 0) this.write({ ...this.read(), ...seed });
  }

  private read(): Record<string, string> {
    if (!existsSync(this.filePath)) return {};
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(readFileSync(this.filePath, 'utf8')));
    if (!parsed.success) throw new AppError('CONFIG', `local secret file ${this.filePath} must map names to string values`);
    return parsed.data;
  }

  private write(values: Record<string, string>): void {
    mkdirSync(dirname(this.filePath), { recursive: true });
    writeFileSync(this.filePath, JSON.stringify(values, null, 2), { mode: 0o600 });
    chmodSync(this.filePath, 0o600);
  }

  async getSecret(name: string): Promise<string> {
    const value = this.read()[name];
    if (value === undefined) throw new AppError('NOT_FOUND', `secret ${name} does not exist in the local secret store`);
    return value;
  }

  async setSecret(name: string, value: string): Promise<void> {
    this.write({ ...this.read(), [name]: value });
  }

  async deleteSecret(name: string): Promise<void> {
    const values = this.read();
    delete values[name];
    this.write(values);
  }

  getCertificatePem(name: string): Promise<string> {
    return this.getSecret(name);
  }
}
