import { type TableClient, type TransactionAction } from '@azure/data-tables';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type ContactLink, type ContactLinkStore } from '../../engine/ContactLinkStore';
import { type PbxContactFields } from '../../pbx/ports/PbxContact';
import { checkedKeyPart } from './checkedKeyPart';
import { checkedTableString } from './checkedTableString';
import { deletePartition, deletePartitionsUnder, deleteRowsIfExist } from './deleteRowsIfExist';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { submitInTransactions } from './submitInTransactions';

const FieldsSchema: z.ZodType<PbxContactFields> = z.object({
  displayName: z.string(),
  givenName: z.string(),
  surname: z.string(),
  company: z.string(),
  jobTitle: z.string(),
  email: z.string(),
  businessPhone: z.string(),
  businessPhone2: z.string(),
  mobilePhone: z.string(),
  homePhone: z.string(),
  homePhone2: z.string(),
  address: z.string(),
  notes: z.string(),
});

const RowSchema = z.object({
  contactId: z.string().min(1),
  state: z.enum(['creating', 'active']),
  pbxContactId: z.string().min(1).nullish(),
  fields: jsonColumn(FieldsSchema),
  updatedAt: z.string(),
});
const COLUMNS = Object.keys(RowSchema.shape);

const partitionOf = (tenantId: string, sourceKey: string) =>
  `${checkedKeyPart(tenantId, 'tenant id')}|${checkedKeyPart(sourceKey, 'contact source key')}`;
/** Outlook ids are long and hold `/` and `=`: the row key is a hash, the id a column. */
const rowKeyOf = (contactId: string) => createHash('sha256').update(contactId).digest('hex').slice(0, 40);
const whatOf = (tenantId: string, sourceKey: string) => `contact links of ${tenantId}/${sourceKey}`;

/** Contact links: partition = tenant id | source key, row key = hash of the Outlook contact id. */
export class TableContactLinkStore implements ContactLinkStore {
  constructor(private readonly table: TableClient) {}

  async listBySource(tenantId: string, sourceKey: string): Promise<ContactLink[]> {
    const what = whatOf(tenantId, sourceKey);
    const links: ContactLink[] = [];
    for await (const row of listPartition(this.table, partitionOf(tenantId, sourceKey), what, { select: COLUMNS })) {
      const { pbxContactId, ...rest } = parseStoredRow(row, RowSchema, what);
      links.push({ tenantId, sourceKey, ...rest, ...(pbxContactId ? { pbxContactId } : {}) });
    }
    return links;
  }

  async putMany(links: readonly ContactLink[]): Promise<void> {
    const byPartition = new Map<string, TransactionAction[]>();
    for (const link of links) {
      const partitionKey = partitionOf(link.tenantId, link.sourceKey);
      const what = whatOf(link.tenantId, link.sourceKey);
      const entity = {
        partitionKey,
        rowKey: rowKeyOf(link.contactId),
        contactId: checkedTableString(link.contactId, `${what}: contact id`),
        state: link.state,
        fields: checkedTableString(JSON.stringify(link.fields), `${what}: fields`),
        updatedAt: link.updatedAt,
        ...(link.pbxContactId ? { pbxContactId: link.pbxContactId } : {}),
      };
      const actions = byPartition.get(partitionKey) ?? [];
      // Replace, not merge: a link that went back to `creating` must not keep the PBX id it had.
      actions.push(['upsert', entity, 'Replace']);
      byPartition.set(partitionKey, actions);
    }
    for (const [partitionKey, actions] of byPartition)
      await submitInTransactions(this.table, dedupe(actions), `contact links ${partitionKey}`);
  }

  async deleteMany(tenantId: string, sourceKey: string, contactIds: readonly string[]): Promise<void> {
    await deleteRowsIfExist(this.table, partitionOf(tenantId, sourceKey), contactIds.map(rowKeyOf), whatOf(tenantId, sourceKey));
  }

  async deleteSource(tenantId: string, sourceKey: string): Promise<void> {
    await deletePartition(this.table, partitionOf(tenantId, sourceKey), whatOf(tenantId, sourceKey));
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartitionsUnder(this.table, checkedKeyPart(tenantId, 'tenant id'), `contact links of ${tenantId}`);
  }
}

/** A transaction may touch each row once: the last write of a row wins. */
function dedupe(actions: TransactionAction[]): TransactionAction[] {
  const byRow = new Map<string, TransactionAction>();
  for (const action of actions) byRow.set(String((action[1] as { rowKey: string }).rowKey), action);
  return [...byRow.values()];
}
