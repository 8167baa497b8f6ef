import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type PhotoState, type PhotoStateStore } from '../../engine/PhotoStateStore';
import { checkedKeyPart } from './checkedKeyPart';
import { checkedTableString } from './checkedTableString';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { deletePartition } from './deleteRowsIfExist';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

// `photoEtag`, not `etag`: the SDK puts the row's own ETag under `etag` when it reads an entity.
const RowSchema = z.object({
  rowKey: z.string().min(1),
  photoEtag: z.string(),
  imageHash: z.string(),
  updatedAt: z.string(),
});
const COLUMNS = ['photoEtag', 'imageHash', 'updatedAt'];
const tenantKeyOf = (tenantId: string) => checkedKeyPart(tenantId, 'tenant id');
const userKeyOf = (objectId: string) => checkedKeyPart(objectId.toLowerCase(), 'user object id');

/** Photo states: partition = tenant id, row key = the user's object id (lower case). */
export class TablePhotoStateStore implements PhotoStateStore {
  constructor(private readonly table: TableClient) {}

  async listByTenant(tenantId: string): Promise<PhotoState[]> {
    const what = `photo states of ${tenantId}`;
    const states: PhotoState[] = [];
    for await (const row of listPartition(this.table, tenantKeyOf(tenantId), what, { select: COLUMNS })) {
      const { rowKey, photoEtag, ...rest } = parseStoredRow(row, RowSchema, what);
      states.push({ tenantId, objectId: rowKey, etag: photoEtag, ...rest });
    }
    return states;
  }

  async put(state: PhotoState): Promise<void> {
    const what = `photo state ${state.tenantId}/${state.objectId}`;
    const entity = {
      partitionKey: tenantKeyOf(state.tenantId),
      rowKey: userKeyOf(state.objectId),
      photoEtag: checkedTableString(state.etag, `${what}: photo ETag`),
      imageHash: state.imageHash,
      updatedAt: state.updatedAt,
    };
    await tableCall(what, () => this.table.upsertEntity(entity, 'Replace'));
  }

  async delete(tenantId: string, objectId: string): Promise<void> {
    await deleteEntityIfExists(this.table, tenantKeyOf(tenantId), userKeyOf(objectId), `photo state ${tenantId}/${objectId}`);
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, tenantKeyOf(tenantId), `photo states of ${tenantId}`);
  }
}
