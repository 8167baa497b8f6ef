import { randomBytes } from 'node:crypto';
import { type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { type LinkEvent } from '../../engine/LinkEvent';
import { type InboxLinkEvent, type LinkEventInbox } from '../../engine/LinkEventInbox';
import { checkedKeyPart } from './checkedKeyPart';
import { checkedTableString } from './checkedTableString';
import { deletePartitionsUnder, deleteRowsIfExist } from './deleteRowsIfExist';
import { jsonColumn } from './jsonColumn';
import { listPartition } from './listPartition';
import { parseStoredRow } from './parseStoredRow';
import { submitInTransactions } from './submitInTransactions';

const LinkEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linked'), feature: z.string(), sourceId: z.string(), pbxId: z.string(), extension: z.string() }),
  z.object({
    kind: z.literal('unlinked'),
    feature: z.string(),
    sourceId: z.string(),
    pbxId: z.string().optional(),
    extension: z.string().optional(),
  }),
  z.object({
    kind: z.literal('numberChanged'),
    feature: z.string(),
    sourceId: z.string(),
    pbxId: z.string(),
    extension: z.string(),
    previousExtension: z.string(),
  }),
]) satisfies z.ZodType<LinkEvent>;

const RowSchema = z.object({ rowKey: z.string().min(1), event: jsonColumn(LinkEventSchema) });

/** list()'s default limit: one page of the service. */
const DEFAULT_LIMIT = 1000;
/** Digits of the epoch-ms part of an id (enough until the year 33658) and of the per-process sequence. */
const TIME_DIGITS = 15;
const SEQUENCE_DIGITS = 12;

/** The last time and sequence number this process gave an id, so its ids only grow. */
let lastIdTime = 0;
let idSequence = 0;

/**
 * A row key that sorts after every one this process made before: epoch ms (never behind the last id's, so a
 * clock stepping back keeps the order), a per-process sequence (two appends in one millisecond keep their
 * order) and random hex, so two processes in the same millisecond never make the same key.
 */
function nextEventId(): string {
  lastIdTime = Math.max(Date.now(), lastIdTime);
  idSequence += 1;
  const time = String(lastIdTime).padStart(TIME_DIGITS, '0');
  const sequence = String(idSequence).padStart(SEQUENCE_DIGITS, '0');
  return `${time}-${sequence}-${randomBytes(4).toString('hex')}`;
}

const partitionOf = (tenantId: string, feature: string) =>
  `${checkedKeyPart(tenantId, 'tenant id')}|${checkedKeyPart(feature, `feature of ${tenantId}`)}`;
const whatOf = (tenantId: string, feature: string) => `link events of ${tenantId}/${feature}`;

/**
 * Link events waiting for a feature: partition = `<tenant id>|<feature>`, row key = a time-ordered id
 * (nextEventId), so listing a partition returns the oldest first; the event is a JSON column. One tenant's
 * partitions are one partition-key range (`|` ends the tenant id, which holds none), so deleting a tenant
 * reaches every feature's events without knowing the features.
 */
export class TableLinkEventInbox implements LinkEventInbox {
  constructor(private readonly table: TableClient) {}

  async append(tenantId: string, feature: string, events: readonly LinkEvent[]): Promise<void> {
    const partitionKey = partitionOf(tenantId, feature);
    const what = whatOf(tenantId, feature);
    // Upsert: an id is never reused, and a transaction the SDK sends again after a lost answer does not fail.
    const actions = events.map((event): TransactionAction => {
      const rowKey = nextEventId();
      return ['upsert', { partitionKey, rowKey, event: checkedTableString(JSON.stringify(event), `${what}: event`) }, 'Replace'];
    });
    await submitInTransactions(this.table, actions, what);
  }

  async list(tenantId: string, feature: string, limit = DEFAULT_LIMIT): Promise<InboxLinkEvent[]> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new AppError('INTERNAL', `link events: a list limit must be a positive integer, not ${limit}`);
    const events: InboxLinkEvent[] = [];
    const rows = listPartition(this.table, partitionOf(tenantId, feature), whatOf(tenantId, feature), {
      select: ['event'],
      pageSize: limit,
    });
    for await (const row of rows) {
      const { rowKey, event } = parseStoredRow(row, RowSchema, `link event ${tenantId}/${feature}/${String(row.rowKey)}`);
      events.push({ id: rowKey, event });
      if (events.length === limit) break;
    }
    return events;
  }

  async remove(tenantId: string, feature: string, ids: readonly string[]): Promise<void> {
    const what = whatOf(tenantId, feature);
    const rowKeys = ids.map((id) => checkedKeyPart(id, `${what}: id`));
    await deleteRowsIfExist(this.table, partitionOf(tenantId, feature), rowKeys, what);
  }

  /** Every feature's partition of the tenant, keys only (so rows that no longer parse go too). */
  async deleteAllForTenant(tenantId: string): Promise<void> {
    await deletePartitionsUnder(this.table, checkedKeyPart(tenantId, 'tenant id'), `link events of ${tenantId}`);
  }
}
