import { type TableClient, odata } from '@azure/data-tables';
import { z } from 'zod';
import { type SubscriptionRecord, type SubscriptionStore } from '../../subscriptions/SubscriptionStore';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { findEntity } from './findEntity';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';
import { listRows } from './listPartition';
import { FeatureNameSchema } from '../../features/FeatureName';

const RowSchema = z.object({
  partitionKey: z.string().min(1),
  tenantId: z.string().min(1),
  directoryId: z.string().min(1),
  resource: FeatureNameSchema,
  graphResource: z.string().min(1),
  subject: z.string().min(1).optional(),
  changeType: z.string().min(1),
  notificationUrl: z.string().url(),
  lifecycleNotificationUrl: z.string().url(),
  expiresAt: z.string().datetime(),
  clientStateHash: z.string().regex(/^[0-9a-f]{64}$/),
  clientStateSecretName: z.string().min(1),
  createdAt: z.string().datetime(),
  renewedAt: z.string().datetime().optional(),
});

const COLUMNS = [
  'tenantId',
  'directoryId',
  'resource',
  'graphResource',
  'subject',
  'changeType',
  'notificationUrl',
  'lifecycleNotificationUrl',
  'expiresAt',
  'clientStateHash',
  'clientStateSecretName',
  'createdAt',
  'renewedAt',
];
/** One row per subscription: the webhook's lookup by subscription id is a point read. */
const ROW_KEY = '';

/** Subscriptions: partition = Graph subscription id; a tenant's are found by a (small) filtered scan. */
export class TableSubscriptionStore implements SubscriptionStore {
  constructor(private readonly table: TableClient) {}

  async get(subscriptionId: string): Promise<SubscriptionRecord | null> {
    const row = await findEntity(this.table, subscriptionId, ROW_KEY, `subscription ${subscriptionId}`, COLUMNS);
    return row && toRecord(row);
  }

  async listForTenant(tenantId: string): Promise<SubscriptionRecord[]> {
    const records: SubscriptionRecord[] = [];
    for await (const row of listRows(this.table, odata`tenantId eq ${tenantId}`, `subscriptions of ${tenantId}`, { select: COLUMNS }))
      records.push(toRecord(row));
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async save(record: SubscriptionRecord): Promise<void> {
    const { subscriptionId, subject, ...fields } = record;
    await tableCall(`subscription ${subscriptionId}`, () =>
      this.table.upsertEntity({ partitionKey: subscriptionId, rowKey: ROW_KEY, ...fields, ...(subject ? { subject } : {}) }, 'Replace'),
    );
  }

  async remove(subscriptionId: string): Promise<void> {
    await deleteEntityIfExists(this.table, subscriptionId, ROW_KEY, `subscription ${subscriptionId}`);
  }
}

function toRecord(row: Record<string, unknown>): SubscriptionRecord {
  const { partitionKey, renewedAt, subject, ...fields } = parseStoredRow(
    { ...row, renewedAt: row.renewedAt ?? undefined, subject: row.subject ?? undefined },
    RowSchema,
    `subscription ${String(row.partitionKey)}`,
  );
  return { subscriptionId: partitionKey, ...fields, ...(renewedAt ? { renewedAt } : {}), ...(subject ? { subject } : {}) };
}
