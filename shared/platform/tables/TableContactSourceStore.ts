import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type ContactSource, type ContactSourceStore } from '../../engine/ContactSourceStore';
import { checkedKeyPart } from './checkedKeyPart';
import { checkedTableString } from './checkedTableString';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { deletePartition } from './deleteRowsIfExist';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const OwnerSchema = z.object({ objectId: z.string().min(1), pbxUserId: z.string().min(1), pbxUserName: z.string().min(1) });
const RowSchema = z.object({
  rowKey: z.string().min(1),
  feature: z.string().min(1),
  mailbox: z.string().min(1),
  folderId: z.string().min(1),
  owner: jsonColumn(OwnerSchema).nullish(),
  updatedAt: z.string(),
});
const COLUMNS = Object.keys(RowSchema.shape).filter((name) => name !== 'rowKey');
const tenantKeyOf = (tenantId: string) => checkedKeyPart(tenantId, 'tenant id');

/** Contact sources: partition = tenant id, row key = source key (feature name first, so one feature's rows are a range). */
export class TableContactSourceStore implements ContactSourceStore {
  constructor(private readonly table: TableClient) {}

  async listByTenant(tenantId: string, feature: string): Promise<ContactSource[]> {
    const what = `contact sources of ${tenantId}`;
    const sources: ContactSource[] = [];
    const rows = listPartition(this.table, tenantKeyOf(tenantId), what, { rowKeyPrefix: `${feature}.`, select: COLUMNS });
    for await (const row of rows) {
      const { rowKey, owner, ...rest } = parseStoredRow(row, RowSchema, what);
      sources.push({ tenantId, sourceKey: rowKey, ...rest, ...(owner ? { owner } : {}) });
    }
    return sources;
  }

  async put(source: ContactSource): Promise<void> {
    const what = `contact source ${source.tenantId}/${source.sourceKey}`;
    const entity = {
      partitionKey: tenantKeyOf(source.tenantId),
      rowKey: checkedKeyPart(source.sourceKey, 'contact source key'),
      feature: source.feature,
      mailbox: checkedTableString(source.mailbox, `${what}: mailbox`),
      folderId: checkedTableString(source.folderId, `${what}: folder id`),
      updatedAt: source.updatedAt,
      ...(source.owner ? { owner: JSON.stringify(source.owner) } : {}),
    };
    await tableCall(what, () => this.table.upsertEntity(entity, 'Replace'));
  }

  async delete(tenantId: string, sourceKey: string): Promise<void> {
    await deleteEntityIfExists(this.table, tenantKeyOf(tenantId), sourceKey, `contact source ${tenantId}/${sourceKey}`);
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, tenantKeyOf(tenantId), `contact sources of ${tenantId}`);
  }
}
