import { type TableClient, odata } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type WrappedKey } from '../keys/KeyWrapper';
import { type DataKeyPage, type StoredDataKey, type TenantDataKeyStore } from '../../credentials/portalPasswords/TenantDataKeyStore';
import { checkedKeyPart } from './checkedKeyPart';
import { deletePartition } from './deleteRowsIfExist';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { etagOf } from './etagOf';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

/** Row keys: the version, zero-padded, so the table's order is the versions' order. */
const VERSION_DIGITS = 10;
const RowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string().regex(/^\d{10}$/),
  wrappedKey: z.string().min(1),
  keyId: z.string().min(1),
  createdAt: z.iso.datetime(),
  etag: z.string(),
});
const COLUMNS = ['wrappedKey', 'keyId', 'createdAt'];

const rowKeyOf = (version: number) => String(version).padStart(VERSION_DIGITS, '0');
const whatOf = (tenantId: string) => `data keys of tenant ${tenantId}`;

function storedKeyOf(row: Record<string, unknown>): StoredDataKey {
  const tenantId = String(row['partitionKey']);
  const parsed = parseStoredRow({ ...row, etag: row['etag'] ?? row['odata.etag'] }, RowSchema, whatOf(tenantId));
  return {
    tenantId: parsed.partitionKey,
    version: Number(parsed.rowKey),
    wrappedKey: parsed.wrappedKey,
    keyId: parsed.keyId,
    createdAt: parsed.createdAt,
    etag: parsed.etag,
  };
}

/**
 * The wrapped data keys of every tenant (table `tenantdatakeys`): partition = tenant id, row = version. Holds
 * only what the KeyWrapper made; a key in clear never reaches a table.
 */
export class TableTenantDataKeyStore implements TenantDataKeyStore {
  constructor(private readonly table: TableClient) {}

  async list(tenantId: string): Promise<StoredDataKey[]> {
    const keys: StoredDataKey[] = [];
    for await (const row of listPartition(this.table, checkedKeyPart(tenantId, 'tenant id'), whatOf(tenantId), { select: COLUMNS }))
      keys.push(storedKeyOf(row));
    return keys;
  }

  async create(key: Omit<StoredDataKey, 'etag'>): Promise<StoredDataKey | null> {
    checkVersion(key.version);
    const entity = {
      partitionKey: checkedKeyPart(key.tenantId, 'tenant id'),
      rowKey: rowKeyOf(key.version),
      wrappedKey: key.wrappedKey,
      keyId: key.keyId,
      createdAt: key.createdAt,
    };
    const what = `data key version ${key.version} of tenant ${key.tenantId}`;
    try {
      const result = await tableCall(what, () => this.table.createEntity(entity));
      return { ...key, etag: etagOf(result, what) };
    } catch (err) {
      if (isAppError(err, 'CONFLICT')) return null;
      throw err;
    }
  }

  async rewrap(key: StoredDataKey, wrapped: WrappedKey): Promise<StoredDataKey> {
    const entity = {
      partitionKey: checkedKeyPart(key.tenantId, 'tenant id'),
      rowKey: rowKeyOf(key.version),
      wrappedKey: wrapped.wrappedKey,
      keyId: wrapped.keyId,
      createdAt: key.createdAt,
    };
    const what = `data key version ${key.version} of tenant ${key.tenantId}`;
    const result = await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag: key.etag }));
    return { ...key, ...wrapped, etag: etagOf(result, what) };
  }

  async delete(tenantId: string, version: number): Promise<void> {
    checkVersion(version);
    await deleteEntityIfExists(this.table, checkedKeyPart(tenantId, 'tenant id'), rowKeyOf(version), whatOf(tenantId));
  }

  async deleteAll(tenantId: string): Promise<void> {
    await deletePartition(this.table, checkedKeyPart(tenantId, 'tenant id'), whatOf(tenantId));
  }

  async pageNotWrappedWith(keyId: string, options: { pageSize: number; continuationToken?: string | undefined }): Promise<DataKeyPage> {
    const what = 'data keys to re-wrap';
    const pages = this.table
      .listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`keyId ne ${keyId}`, select: ['partitionKey', 'rowKey', ...COLUMNS] },
      })
      .byPage({
        maxPageSize: Math.min(Math.max(options.pageSize, 1), 1000),
        ...(options.continuationToken ? { continuationToken: options.continuationToken } : {}),
      });
    const page = await tableCall(what, () => pages.next());
    if (page.done) return { keys: [] };
    return {
      keys: page.value.map((row) => storedKeyOf(row)),
      ...(page.value.continuationToken ? { continuationToken: page.value.continuationToken } : {}),
    };
  }
}

function checkVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 1 || version >= 10 ** VERSION_DIGITS)
    throw new AppError('INVALID', `data key version ${version} is not a positive whole number below 10^${VERSION_DIGITS}`);
}
