import { constants, createPrivateKey, generateKeyPair, type KeyObject, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { OwnerOnlyJsonFile } from '../ownerOnlyJsonFile';
import { type KeyWrapper, type WrappedKey } from './KeyWrapper';

const generateRsa = promisify(generateKeyPair);
const KEY_NAME = /^[0-9A-Za-z-]{1,127}$/;
/** Key ids of local keys: never mistaken for a Key Vault URL, so a row moved between the two fails clearly. */
const KEY_ID = /^local-key:([0-9A-Za-z-]{1,127})\/([0-9a-f]{32})$/;

const VersionSchema = z
  .object({ version: z.string().regex(/^[0-9a-f]{32}$/), privateKeyPem: z.string(), createdOn: z.iso.datetime() })
  .strict();
const FileSchema = z.object({ keys: z.record(z.string(), z.object({ versions: z.array(VersionSchema) }).strict()) }).strict();
type KeyFile = z.infer<typeof FileSchema>;

export interface LocalKeyWrapperOptions {
  /** RSA size of new versions: 2048 (default: quick to make on a laptop) or 3072. */
  keySize?: 2048 | 3072;
  now?: () => Date;
}

/**
 * KeyWrapper for local runs without Azure: RSA key versions in an owner-only JSON file (0600, beside the local
 * secret file under .local/), RSA-OAEP-256 as Key Vault does it. `rotate()` adds a version, as a Key Vault rotation
 * does; wrap uses the newest, unwrap the version named in the key id. Calls on one wrapper run one at a time.
 */
export class LocalKeyWrapper implements KeyWrapper {
  private readonly file: OwnerOnlyJsonFile<KeyFile>;
  private readonly privateKeys = new Map<string, KeyObject>();
  private readonly keySize: 2048 | 3072;
  private readonly now: () => Date;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    filePath: string,
    private readonly keyName: string,
    options: LocalKeyWrapperOptions = {},
  ) {
    if (!KEY_NAME.test(keyName)) throw new AppError('CONFIG', `key name "${keyName}" is invalid: 1-127 letters, digits and dashes`);
    this.file = new OwnerOnlyJsonFile(
      filePath,
      'local key file',
      FileSchema,
      'a key file ({ keys: { name: { versions: [{ version, privateKeyPem, createdOn }] } } }); fix or delete it',
      () => ({ keys: {} }),
    );
    this.keySize = options.keySize ?? 2048;
    this.now = options.now ?? (() => new Date());
  }

  wrap(dataKey: Buffer): Promise<WrappedKey> {
    return this.serial(async () => {
      const newest = this.versions().at(-1);
      if (!newest) throw this.missing();
      const wrapped = publicEncrypt(
        { key: this.privateKeyOf(newest), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        dataKey,
      );
      return { wrappedKey: wrapped.toString('base64url'), keyId: this.keyIdOf(newest.version) };
    });
  }

  unwrap(wrappedKey: string, keyId: string): Promise<Buffer> {
    return this.serial(async () => {
      const match = KEY_ID.exec(keyId);
      if (!match || match[1] !== this.keyName)
        throw new AppError(
          'INTERNAL',
          `wrapped key names ${JSON.stringify(keyId.slice(0, 200))}, not a version of local key ${this.keyName}`,
        );
      const found = this.versions().find((v) => v.version === match[2]);
      if (!found) throw new AppError('NOT_FOUND', `version ${match[2]} of local key ${this.keyName} does not exist in the local key file`);
      try {
        return privateDecrypt(
          { key: this.privateKeyOf(found), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
          Buffer.from(wrappedKey, 'base64url'),
        );
      } catch {
        throw new AppError('CONFIG', `unwrapping with local key ${this.keyName}: the value was not wrapped with version ${found.version}`);
      }
    });
  }

  currentKeyId(): Promise<string> {
    return this.serial(async () => {
      const newest = this.versions().at(-1);
      if (!newest) throw this.missing();
      return this.keyIdOf(newest.version);
    });
  }

  ensureKey(): Promise<string> {
    return this.serial(async () => {
      const newest = this.versions().at(-1);
      return newest ? this.keyIdOf(newest.version) : this.addVersion();
    });
  }

  /** A new version, which wrap uses from now on; answers its key id. */
  rotate(): Promise<string> {
    return this.serial(() => this.addVersion());
  }

  private async addVersion(): Promise<string> {
    const { privateKey } = await generateRsa('rsa', { modulusLength: this.keySize });
    const version = randomBytes(16).toString('hex');
    const file = this.file.read();
    const entry = file.keys[this.keyName] ?? { versions: [] };
    entry.versions.push({
      version,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      createdOn: this.now().toISOString(),
    });
    file.keys[this.keyName] = entry;
    this.file.write(file);
    return this.keyIdOf(version);
  }

  /** Read on every call: another process (npm start beside npm run sync) may have rotated. */
  private versions(): KeyFile['keys'][string]['versions'] {
    return this.file.read().keys[this.keyName]?.versions ?? [];
  }

  private privateKeyOf(version: { version: string; privateKeyPem: string }): KeyObject {
    let key = this.privateKeys.get(version.version);
    if (!key) {
      key = createPrivateKey(version.privateKeyPem);
      this.privateKeys.set(version.version, key);
    }
    return key;
  }

  private keyIdOf(version: string): string {
    return `local-key:${this.keyName}/${version}`;
  }

  private missing(): AppError {
    return new AppError('NOT_FOUND', `local key ${this.keyName} does not exist yet (ensureKey creates it)`);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
