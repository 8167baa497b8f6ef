import { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../errors/AppError';
import { LinkStore, UserLink } from './LinkStore';
import { tableCall } from './tableErrorFor';

const FieldsSchema = z.object({
  displayName: z.string(),
  email: z.string(),
  mobilePhone: z.string(),
  workPhone: z.string(),
  department: z.string(),
  enabled: z.boolean(),
});

const RowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  state: z.enum(['creating', 'active']),
  origin: z.enum(['created', 'adopted']),
  pbxUserId: z.string().optional(),
  pbxUserName: z.string(),
  extensionNumber: z.string(),
  fields: z.string().optional(),
  hash: z.string().optional(),
  boundToMicrosoft365: z.boolean(),
  updatedAt: z.string(),
});

const rowKey = (objectId: string) => `user_${objectId}`;

export class TableLinkStore implements LinkStore {
  constructor(private readonly table: TableClient) {}

  private toLink(row: unknown): UserLink {
    const parsed = RowSchema.safeParse(row);
    if (!parsed.success) throw new AppError('INTERNAL', `a stored user link is unreadable: ${parsed.error.issues[0]?.message}`);
    const { partitionKey, rowKey: key, fields, ...rest } = parsed.data;
    return { ...rest, tenantId: partitionKey, objectId: key.slice('user_'.length), fields: fields ? FieldsSchema.parse(JSON.parse(fields)) : undefined };
  }

  async listByTenant(tenantId: string): Promise<UserLink[]> {
    return tableCall('user links', async () => {
      const links: UserLink[] = [];
      const filter = `PartitionKey eq '${tenantId}'`;
      for await (const row of this.table.listEntities({ queryOptions: { filter } })) links.push(this.toLink(row));
      return links;
    });
  }

  async get(tenantId: string, objectId: string): Promise<UserLink | null> {
    try {
      return this.toLink(await tableCall('user link', () => this.table.getEntity(tenantId, rowKey(objectId))));
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async upsert(link: UserLink): Promise<void> {
    const { tenantId, objectId, fields, ...rest } = link;
    const entity: Record<string, unknown> = { partitionKey: tenantId, rowKey: rowKey(objectId) };
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) entity[key] = value;
    if (fields) entity.fields = JSON.stringify(fields);
    await tableCall('user link', () => this.table.upsertEntity(entity as { partitionKey: string; rowKey: string }, 'Replace'));
  }

  async delete(tenantId: string, objectId: string): Promise<void> {
    try {
      await tableCall('user link', () => this.table.deleteEntity(tenantId, rowKey(objectId)));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
    }
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    const links = await this.listByTenant(tenantId);
    for (let i = 0; i < links.length; i += 100) {
      const actions: TransactionAction[] = links.slice(i, i + 100).map((l) => ['delete', { partitionKey: tenantId, rowKey: rowKey(l.objectId) }]);
      await tableCall('user links', () => this.table.submitTransaction(actions));
    }
  }
}
