import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type DataKeyRotation, type PortalPasswordStore } from '../../credentials/portalPasswords/PortalPasswordStore';
import { type TenantDataKeys } from '../../credentials/portalPasswords/TenantDataKeys';
import { openPortalPassword } from '../../credentials/portalPasswords/openPortalPassword';
import { sealPortalPassword } from '../../credentials/portalPasswords/sealPortalPassword';
import {
  type KeptPortalPassword,
  NO_USER_ACCESS_REASONS,
  type NoUserAccessReason,
  type PortalPasswords,
} from '../../pbx/ports/PortalPasswords';
import { checkedKeyPart } from './checkedKeyPart';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { deletePartition } from './deleteRowsIfExist';
import { findEntity } from './findEntity';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const RowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  ciphertext: z.string(),
  iv: z.string(),
  tag: z.string(),
  dataKeyVersion: z.number().int().positive(),
  refusedReason: z.enum(NO_USER_ACCESS_REASONS).optional(),
  refusedAt: z.string().optional(),
  updatedAt: z.iso.datetime(),
  etag: z.string(),
});
type PasswordRow = z.infer<typeof RowSchema>;
// A column a row lacks reads as null when it is selected.
const KeptRowSchema = z.object({
  rowKey: z.string(),
  refusedReason: z.enum(NO_USER_ACCESS_REASONS).nullish(),
  refusedAt: z.string().nullish(),
});
const COLUMNS = ['ciphertext', 'iv', 'tag', 'dataKeyVersion', 'refusedReason', 'refusedAt', 'updatedAt'];
/** Reserve and rotation retry this often when another writer got in between (then the caller's retry takes over). */
const ATTEMPTS = 4;

const whatOf = (tenantId: string, rowKey: string) => `portal password of ${rowKey} (tenant ${tenantId})`;

/**
 * Portal passwords in Table Storage (table `portalpasswords`): partition = tenant id, row = PBX login name in
 * lower case. Each row holds only AES-256-GCM output under the tenant's data key (TenantDataKeys: envelope
 * encryption under the Key Vault key), the data key version, and the PBX's refusal. The AAD binds a row to its
 * tenant, login name and key version, so a row copied elsewhere does not decrypt. Passwords never reach an error
 * or a log: errors name the user and tenant only.
 */
export class TablePortalPasswordStore implements PortalPasswordStore {
  constructor(
    private readonly table: TableClient,
    private readonly dataKeys: TenantDataKeys,
  ) {}

  forTenant(tenantId: string): PortalPasswords {
    checkedKeyPart(tenantId, 'tenant id');
    // async: a bad login name rejects the promise, as every other failure does, rather than throwing at the call.
    return {
      reserve: async (userName, generate) => this.reserve(tenantId, rowKeyOf(userName), generate),
      get: async (userName) => this.get(tenantId, rowKeyOf(userName)),
      replace: async (userName, password) => this.replace(tenantId, rowKeyOf(userName), password),
      markRefused: async (userName, reason) => this.markRefused(tenantId, rowKeyOf(userName), reason),
      forget: async (userName) => deleteEntityIfExists(this.table, tenantId, rowKeyOf(userName), whatOf(tenantId, userName)),
    };
  }

  async listKept(tenantId: string): Promise<{ userName: string; refused?: KeptPortalPassword['refused'] }[]> {
    const kept: { userName: string; refused?: KeptPortalPassword['refused'] }[] = [];
    const what = `portal passwords of tenant ${tenantId}`;
    // The refusal columns only: listing who has a kept password never reads a ciphertext.
    for await (const raw of listPartition(this.table, checkedKeyPart(tenantId, 'tenant id'), what, {
      select: ['refusedReason', 'refusedAt'],
    })) {
      const { rowKey, refusedReason, refusedAt } = parseStoredRow(raw, KeptRowSchema, what);
      kept.push(
        refusedReason && refusedAt ? { userName: rowKey, refused: { reason: refusedReason, at: refusedAt } } : { userName: rowKey },
      );
    }
    return kept;
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, checkedKeyPart(tenantId, 'tenant id'), `portal passwords of tenant ${tenantId}`);
    await this.dataKeys.forgetTenant(tenantId);
  }

  async rotateTenantDataKey(tenantId: string): Promise<DataKeyRotation> {
    checkedKeyPart(tenantId, 'tenant id');
    const version = await this.dataKeys.addVersion(tenantId);
    const key = await this.dataKeys.version(tenantId, version);
    let reencrypted = 0;
    for (let pass = 0; pass < ATTEMPTS; pass++) {
      let older = 0;
      for await (const raw of listPartition(this.table, tenantId, `portal passwords of tenant ${tenantId}`, { select: COLUMNS })) {
        const row = parseRow(tenantId, raw);
        if (row.dataKeyVersion >= version) continue;
        older++;
        const { password } = await this.open(tenantId, row);
        const entity = {
          ...entityOf(tenantId, row.rowKey, key, version, password, row.updatedAt),
          ...(row.refusedReason && row.refusedAt ? { refusedReason: row.refusedReason, refusedAt: row.refusedAt } : {}),
        };
        try {
          await tableCall(whatOf(tenantId, row.rowKey), () => this.table.updateEntity(entity, 'Replace', { etag: row.etag }));
          reencrypted++;
        } catch (err) {
          // Changed or forgotten meanwhile: the next pass reads it again.
          if (!isAppError(err, 'PRECONDITION_FAILED') && !isAppError(err, 'NOT_FOUND')) throw err;
        }
      }
      if (older === 0) {
        const droppedVersions = (await this.dataKeys.versions(tenantId)).filter((v) => v < version);
        for (const old of droppedVersions) await this.dataKeys.dropVersion(tenantId, old);
        return { version, reencrypted, droppedVersions };
      }
    }
    throw new AppError(
      'CONFLICT',
      `portal passwords of tenant ${tenantId} kept changing during the data key rotation; the old versions are kept, run it again`,
    );
  }

  private async reserve(tenantId: string, rowKey: string, generate: () => string): Promise<string> {
    const what = whatOf(tenantId, rowKey);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const existing = await this.read(tenantId, rowKey);
      if (existing) return (await this.open(tenantId, existing)).password;
      const password = generate();
      const { version, key } = await this.dataKeys.current(tenantId);
      try {
        await tableCall(what, () => this.table.createEntity(entityOf(tenantId, rowKey, key, version, password, now())));
        return password;
      } catch (err) {
        // Another writer kept one first: theirs is the password, read on the next turn.
        if (!isAppError(err, 'CONFLICT')) throw err;
      }
    }
    throw new AppError('TRANSIENT', `${what} was kept and forgotten again by other writers meanwhile; try again`);
  }

  private async get(tenantId: string, rowKey: string): Promise<KeptPortalPassword | null> {
    const row = await this.read(tenantId, rowKey);
    return row ? this.open(tenantId, row) : null;
  }

  private async replace(tenantId: string, rowKey: string, password: string): Promise<void> {
    const { version, key } = await this.dataKeys.current(tenantId);
    // Replace, not merge: the refusal columns go with the old password.
    const entity = entityOf(tenantId, rowKey, key, version, password, now());
    await tableCall(whatOf(tenantId, rowKey), () => this.table.upsertEntity(entity, 'Replace'));
  }

  private async markRefused(tenantId: string, rowKey: string, reason: NoUserAccessReason): Promise<void> {
    const at = now();
    const entity = { partitionKey: tenantId, rowKey, refusedReason: reason, refusedAt: at, updatedAt: at };
    try {
      await tableCall(whatOf(tenantId, rowKey), () => this.table.updateEntity(entity, 'Merge'));
    } catch (err) {
      if (isAppError(err, 'NOT_FOUND'))
        throw new AppError('NOT_FOUND', `no portal password is kept for ${rowKey} (tenant ${tenantId}) to mark refused`);
      throw err;
    }
  }

  private async read(tenantId: string, rowKey: string): Promise<PasswordRow | null> {
    const raw = await findEntity(this.table, tenantId, rowKey, whatOf(tenantId, rowKey), COLUMNS);
    return raw ? parseRow(tenantId, raw) : null;
  }

  /** Decrypts a row; a key that fails is read again once (a tenant deleted and made again elsewhere reuses versions). */
  private async open(tenantId: string, row: PasswordRow): Promise<KeptPortalPassword> {
    const binding = { tenantId, userName: row.rowKey, dataKeyVersion: row.dataKeyVersion };
    let password: string;
    try {
      password = openPortalPassword(await this.dataKeys.version(tenantId, row.dataKeyVersion), binding, row);
    } catch (err) {
      if (!isAppError(err, 'INTERNAL')) throw err;
      this.dataKeys.evict(tenantId);
      password = openPortalPassword(await this.dataKeys.version(tenantId, row.dataKeyVersion), binding, row);
    }
    return row.refusedReason && row.refusedAt ? { password, refused: { reason: row.refusedReason, at: row.refusedAt } } : { password };
  }
}

/** Login names are case-insensitive on the PBX: one row per name, in lower case. */
function rowKeyOf(userName: string): string {
  return checkedKeyPart(userName.toLowerCase(), 'PBX login name');
}

function parseRow(tenantId: string, raw: Record<string, unknown>): PasswordRow {
  return parseStoredRow({ ...raw, etag: raw['etag'] ?? raw['odata.etag'] }, RowSchema, whatOf(tenantId, String(raw['rowKey'])));
}

function entityOf(tenantId: string, rowKey: string, key: Buffer, version: number, password: string, updatedAt: string) {
  const sealed = sealPortalPassword(key, { tenantId, userName: rowKey, dataKeyVersion: version }, password);
  return { partitionKey: tenantId, rowKey, ...sealed, dataKeyVersion: version, updatedAt };
}

function now(): string {
  return new Date().toISOString();
}
