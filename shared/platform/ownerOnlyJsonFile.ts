import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type z } from 'zod';
import { AppError } from '../core/errors/AppError';

/**
 * A JSON file only its owner may read (0600, in a 0700 folder): the local stand-in for Key Vault, holding
 * secrets and private keys. `what` names the file in errors ("local secret file"); `shape` says what it must
 * hold. Errors never quote the content: JSON.parse and zod would quote text that may be a secret.
 */
export class OwnerOnlyJsonFile<T> {
  constructor(
    private readonly path: string,
    private readonly what: string,
    private readonly schema: z.ZodType<T>,
    private readonly shape: string,
    private readonly empty: () => T,
  ) {}

  /** The file's content, or `empty()` when there is no file yet; AppError CONFIG when it cannot be used. */
  read(): T {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw new AppError('CONFIG', `${this.what} ${this.path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError('CONFIG', `${this.what} ${this.path} is not valid JSON`);
    }
    const result = this.schema.safeParse(parsed);
    if (!result.success) throw new AppError('CONFIG', `${this.what} ${this.path} must be ${this.shape}`);
    return result.data;
  }

  /** Writes a sibling temp file and renames it over the old one, so a crash never leaves half a file. */
  write(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }
}
