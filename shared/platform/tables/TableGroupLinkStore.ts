import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type GroupLink, type GroupLinkStore } from '../../engine/GroupLinkStore';
import { checkedKeyPart } from './checkedKeyPart';
import { checkedTableString } from './checkedTableString';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { deletePartition } from './deleteRowsIfExist';
import { findEntity } from './findEntity';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const RowSchema = z.object({
  rowKey: z.string().min(1),
  state: z.enum(['creating', 'active']),
  // A column a row lacks reads as null when it is selected.
  pbxGroupId: z.string().min(1).nullish(),
  pbxName: z.string(),
  displayName: z.string(),
  membersHash: z.string(),
  updatedAt: z.string(),
});

/** What a read selects: the link's own columns, not the service's Timestamp. */
const COLUMNS = Object.keys(RowSchema.shape).filter((name) => name !== 'rowKey');

const whatOf = (tenantId: string, groupId: string) => `group link ${tenantId}/${groupId}`;
const tenantKeyOf = (tenantId: string) => checkedKeyPart(tenantId, 'tenant id');

/** The row key of a group: its object id in lower case, so any spelling Graph sends finds the same row. */
function groupKeyOf(tenantId: string, groupId: string): string {
  return checkedKeyPart(groupId.toLowerCase(), `${whatOf(tenantId, groupId)}: group id`);
}

/**
 * Entra group ↔ PBX group links: partition = tenant id, row key = group id (lower case). Plain replace and
 * delete: the groups run is its tenant's only writer (writer lease), so no ETags.
 */
export class TableGroupLinkStore implements GroupLinkStore {
  constructor(private readonly table: TableClient) {}

  async listByTenant(tenantId: string): Promise<GroupLink[]> {
    const links: GroupLink[] = [];
    const partition = tenantKeyOf(tenantId);
    for await (const row of listPartition(this.table, partition, `group links of ${tenantId}`, { select: COLUMNS }))
      links.push(toLink(tenantId, row));
    return links;
  }

  async get(tenantId: string, groupId: string): Promise<GroupLink | null> {
    const rowKey = groupKeyOf(tenantId, groupId);
    const row = await findEntity(this.table, tenantKeyOf(tenantId), rowKey, whatOf(tenantId, rowKey), COLUMNS);
    return row && toLink(tenantId, row);
  }

  async put(link: GroupLink): Promise<void> {
    const { tenantId, groupId, pbxGroupId, pbxName, displayName, ...rest } = link;
    const rowKey = groupKeyOf(tenantId, groupId);
    const what = whatOf(tenantId, rowKey);
    const entity = {
      partitionKey: tenantKeyOf(tenantId),
      rowKey,
      ...rest,
      pbxName: checkedTableString(pbxName, `${what}: PBX name`),
      displayName: checkedTableString(displayName, `${what}: display name`),
      ...(pbxGroupId ? { pbxGroupId } : {}),
    };
    // Replace, not merge: a link that went back to `creating` must not keep the PBX group id it had.
    await tableCall(what, () => this.table.upsertEntity(entity, 'Replace'));
  }

  async delete(tenantId: string, groupId: string): Promise<void> {
    const rowKey = groupKeyOf(tenantId, groupId);
    await deleteEntityIfExists(this.table, tenantKeyOf(tenantId), rowKey, whatOf(tenantId, rowKey));
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartition(this.table, tenantKeyOf(tenantId), `group links of ${tenantId}`);
  }
}

function toLink(tenantId: string, row: Record<string, unknown>): GroupLink {
  const { rowKey, pbxGroupId, ...fields } = parseStoredRow(row, RowSchema, whatOf(tenantId, String(row.rowKey)));
  return { tenantId, groupId: rowKey, ...fields, ...(pbxGroupId ? { pbxGroupId } : {}) };
}
