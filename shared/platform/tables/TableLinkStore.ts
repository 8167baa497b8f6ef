import { type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type LinkStore, type LinkWrite, type LinkWriteResult, type UserLink } from '../../engine/LinkStore';
import { checkedTableString } from './checkedTableString';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { etagOf } from './etagOf';
import { failedOperationIndex } from './failedOperationIndex';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

/** User links share the tenant's partition under this row-key prefix (other link kinds may follow). */
const USER_PREFIX = 'user_';
/** The service's limit of operations per entity group transaction. */
const MAX_TRANSACTION = 100;

const FieldsSchema = z.object({
  displayName: z.string(),
  email: z.string(),
  mobilePhone: z.string(),
  workPhone: z.string(),
  department: z.string(),
  enabled: z.boolean(),
  // Absent on links written before the option existed: the same as null (no caller ID of ours).
  outboundCallerId: z.object({ providerId: z.string(), callerId: z.string() }).nullish(),
  givenName: z.string().optional(),
  surname: z.string().optional(),
}) satisfies z.ZodType<PbxUserFields>;

const RowSchema = z.object({
  rowKey: z.string().startsWith(USER_PREFIX),
  state: z.enum(['creating', 'active']),
  origin: z.enum(['created', 'adopted']),
  pbxUserId: z.string().optional(),
  pbxUserName: z.string(),
  extensionNumber: z.string(),
  fields: jsonColumn(FieldsSchema).optional(),
  hash: z.string().optional(),
  boundToMicrosoft365: z.boolean(),
  updatedAt: z.string(),
  etag: z.string(),
});

/** What a listing reads: the link's own columns (the service adds the etag), not the service's Timestamp. */
const COLUMNS = Object.keys(RowSchema.shape).filter((name) => name !== 'rowKey' && name !== 'etag');

type LinkEntity = { partitionKey: string; rowKey: string } & Record<string, string | boolean>;

const rowKeyOf = (objectId: string) => `${USER_PREFIX}${objectId}`;
const whatOf = (tenantId: string, objectId: string) => `user link ${tenantId}/${objectId}`;

/**
 * Entra user ↔ PBX user links: partition = tenant id, row key = `user_<objectId>`, fields as JSON. Every
 * write is conditional (create-if-absent, replace or delete by ETag), so two writers never clobber a link.
 */
export class TableLinkStore implements LinkStore {
  constructor(private readonly table: TableClient) {}

  async listByTenant(tenantId: string): Promise<UserLink[]> {
    const links: UserLink[] = [];
    for await (const row of listPartition(this.table, tenantId, `user links of ${tenantId}`, {
      rowKeyPrefix: USER_PREFIX,
      select: COLUMNS,
    })) {
      links.push(toLink(tenantId, row));
    }
    return links;
  }

  async get(tenantId: string, objectId: string): Promise<UserLink | null> {
    const row = await findEntity(this.table, tenantId, rowKeyOf(objectId), whatOf(tenantId, objectId), COLUMNS);
    return row && toLink(tenantId, row);
  }

  async create(link: UserLink): Promise<UserLink> {
    const what = whatOf(link.tenantId, link.objectId);
    const result = await tableCall(what, () => this.table.createEntity(toEntity(link)));
    return { ...link, etag: etagOf(result, what) };
  }

  async update(link: UserLink): Promise<UserLink> {
    const what = whatOf(link.tenantId, link.objectId);
    const etag = requiredEtag(link);
    try {
      const result = await tableCall(what, () => this.table.updateEntity(toEntity(link), 'Replace', { etag }));
      return { ...link, etag: etagOf(result, what) };
    } catch (err) {
      throw goneAsChanged(err, what);
    }
  }

  async delete(tenantId: string, objectId: string, etag?: string): Promise<void> {
    const what = whatOf(tenantId, objectId);
    if (!etag) return deleteEntityIfExists(this.table, tenantId, rowKeyOf(objectId), what);
    try {
      await tableCall(what, () => this.table.deleteEntity(tenantId, rowKeyOf(objectId), { etag }));
    } catch (err) {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    }
  }

  /** In transactions of up to 100, one write per user at most (a transaction may not touch an entity twice). */
  async writeMany(tenantId: string, writes: readonly LinkWrite[]): Promise<LinkWriteResult[]> {
    const results: LinkWriteResult[] = new Array<LinkWriteResult>(writes.length);
    let batch: number[] = [];
    const inBatch = new Set<string>();
    const flush = async () => {
      if (batch.length > 0) await this.transact(tenantId, writes, batch, results);
      batch = [];
      inBatch.clear();
    };
    for (const [index, { kind, link }] of writes.entries()) {
      if (link.tenantId !== tenantId) throw new AppError('INTERNAL', `a link of ${link.tenantId} written as one of ${tenantId}`);
      if (kind === 'update' && !link.etag) {
        results[index] = await settled(() => this.update(link)); // refused: no ETag to condition on
        continue;
      }
      if (batch.length === MAX_TRANSACTION || inBatch.has(link.objectId)) await flush();
      batch.push(index);
      inBatch.add(link.objectId);
    }
    await flush();
    return results;
  }

  /** Reads keys only (so unreadable rows go too) and deletes in transactions of 100. */
  async deleteAllForTenant(tenantId: string): Promise<void> {
    const what = `user links of ${tenantId}`;
    const rowKeys: string[] = [];
    for await (const row of listPartition(this.table, tenantId, what, { rowKeyPrefix: USER_PREFIX, select: [] }))
      rowKeys.push(String(row.rowKey));
    for (let start = 0; start < rowKeys.length; start += MAX_TRANSACTION) {
      const batch = rowKeys.slice(start, start + MAX_TRANSACTION);
      const actions: TransactionAction[] = batch.map((rowKey) => ['delete', { partitionKey: tenantId, rowKey }]);
      try {
        await tableCall(what, () => this.table.submitTransaction(actions));
      } catch (err) {
        // A transaction is all or nothing: one link deleted meanwhile fails it, so delete that batch one by one.
        if (!isAppError(err, 'NOT_FOUND')) throw err;
        for (const rowKey of batch) await deleteEntityIfExists(this.table, tenantId, rowKey, what);
      }
    }
  }

  /**
   * One transaction of creates and updates. When the service refuses one operation it names it: that write
   * gets the refusal and the rest go again (a transaction is all or nothing, so nothing of it was written).
   */
  private async transact(tenantId: string, writes: readonly LinkWrite[], indexes: number[], results: LinkWriteResult[]): Promise<void> {
    const what = `user links of ${tenantId}`;
    let pending = indexes;
    while (pending.length > 0) {
      const batch = pending.map((index) => writes[index]!);
      if (batch.length === 1) {
        results[pending[0]!] = await settled(() => this.writeOne(batch[0]!));
        return;
      }
      const actions = batch.map(({ kind, link }): TransactionAction => {
        if (kind === 'create') return ['create', toEntity(link)];
        return ['update', toEntity(link), 'Replace', { etag: requiredEtag(link) }];
      });
      try {
        const response = await tableCall(what, () => this.table.submitTransaction(actions));
        pending.forEach((index, k) => {
          results[index] = { ok: true, link: { ...batch[k]!.link, etag: etagOf(response.subResponses[k] ?? {}, what) } };
        });
        return;
      } catch (caught) {
        const err = goneAsChanged(caught, what);
        if (!isAppError(err)) throw err;
        const refused = err.code === 'CONFLICT' || err.code === 'PRECONDITION_FAILED';
        const at = refused ? failedOperationIndex(err.cause, pending.length) : undefined;
        if (at === undefined) {
          // Not one write's fault (outage, throttling), or the service did not say which: each write on its own.
          if (!refused) for (const index of pending) results[index] = { ok: false, error: err };
          else for (const index of pending) results[index] = await settled(() => this.writeOne(writes[index]!));
          return;
        }
        results[pending[at]!] = { ok: false, error: refusalFor(err, whatOf(tenantId, batch[at]!.link.objectId)) };
        pending = pending.filter((_, k) => k !== at);
      }
    }
  }

  private async writeOne({ kind, link }: LinkWrite): Promise<UserLink> {
    return kind === 'create' ? this.create(link) : this.update(link);
  }
}

/** Runs one write, turning its AppError into a result (anything else is a bug and rejects). */
async function settled(write: () => Promise<UserLink>): Promise<LinkWriteResult> {
  try {
    return { ok: true, link: await write() };
  } catch (err) {
    if (isAppError(err)) return { ok: false, error: err };
    throw err;
  }
}

/** An update whose link vanished since it was read is as stale as one whose ETag changed. */
function goneAsChanged(err: unknown, what: string): unknown {
  if (!isAppError(err, 'NOT_FOUND')) return err;
  return new AppError('PRECONDITION_FAILED', `${what}: it was deleted by someone else`, { cause: err.cause });
}

/** The refusal of one operation of a transaction, named after that link instead of the whole batch. */
function refusalFor(err: AppError, what: string): AppError {
  const message = err.code === 'CONFLICT' ? `${what}: already exists` : `${what}: it was changed by someone else (ETag mismatch)`;
  return new AppError(err.code, message, { cause: err.cause, upstreamStatus: err.upstreamStatus, upstreamCode: err.upstreamCode });
}

function requiredEtag(link: UserLink): string {
  if (!link.etag)
    throw new AppError('INTERNAL', `${whatOf(link.tenantId, link.objectId)}: an update needs the ETag the link was read with`);
  return link.etag;
}

function toEntity(link: UserLink): LinkEntity {
  const { tenantId, objectId, fields, etag: _etag, ...rest } = link;
  const entity: LinkEntity = { partitionKey: tenantId, rowKey: rowKeyOf(objectId) };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) entity[key] = value;
  if (fields) entity.fields = checkedTableString(JSON.stringify(fields), `${whatOf(tenantId, objectId)}: fields`);
  return entity;
}

function toLink(tenantId: string, row: Record<string, unknown>): UserLink {
  const { rowKey, ...link } = parseStoredRow(row, RowSchema, `user link ${tenantId}/${String(row.rowKey)}`);
  return { tenantId, objectId: rowKey.slice(USER_PREFIX.length), ...link };
}
