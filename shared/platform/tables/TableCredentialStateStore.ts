import { type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors/AppError';
import { type CredentialStateStore, type GraphCredentialState, type StoredCredentialState } from '../../credentials/CredentialStateStore';
import { checkedKeyPart } from './checkedKeyPart';
import { deleteEntityIfExists } from './deleteEntityIfExists';
import { etagOf } from './etagOf';
import { findEntity } from './findEntity';
import { jsonColumn } from './jsonColumn';
import { parseStoredRow } from './parseStoredRow';
import { tableCall } from './tableCall';

const StateSchema = z.object({
  certificate: z
    .object({
      activeVersion: z.string().optional(),
      keys: z.array(
        z.object({
          version: z.string(),
          thumbprint: z.string(),
          keyId: z.string().optional(),
          registeredBy: z.enum(['connector', 'admin']),
          retiring: z.boolean().optional(),
          removalProblem: z.string().optional(),
        }),
      ),
      lastCheckedAt: z.string().optional(),
      lastOutcome: z.string().optional(),
      lastError: z.string().optional(),
    })
    .optional(),
  consent: z.object({ directoryId: z.string(), consentedAt: z.string() }).optional(),
});
const RowSchema = z.object({ state: jsonColumn(StateSchema), etag: z.string() });

/** One row per owner (a tenant id, or the shared app): partition = owner, row key `graph`. */
const ROW_KEY = 'graph';
const whatOf = (owner: string) => `Graph credential state of ${owner}`;

/** The connector's record of its Graph credentials; conditional writes (ETag) so rollovers never overwrite each other. */
export class TableCredentialStateStore implements CredentialStateStore {
  constructor(private readonly table: TableClient) {}

  async get(owner: string): Promise<StoredCredentialState | undefined> {
    const row = await findEntity(this.table, checkedKeyPart(owner, 'owner'), ROW_KEY, whatOf(owner), ['state']);
    if (!row) return undefined;
    const parsed = parseStoredRow({ ...row, etag: row['etag'] ?? row['odata.etag'] }, RowSchema, whatOf(owner));
    return { state: parsed.state, etag: parsed.etag };
  }

  async put(owner: string, state: GraphCredentialState, etag?: string): Promise<string> {
    // undefined fields are dropped by JSON, so the stored text is what the schema reads back.
    const entity = { partitionKey: checkedKeyPart(owner, 'owner'), rowKey: ROW_KEY, state: JSON.stringify(state) };
    const what = whatOf(owner);
    try {
      const result = etag
        ? await tableCall(what, () => this.table.updateEntity(entity, 'Replace', { etag }))
        : await tableCall(what, () => this.table.createEntity(entity));
      return etagOf(result, what);
    } catch (err) {
      if (isAppError(err, 'CONFLICT') || isAppError(err, 'PRECONDITION_FAILED')) {
        throw new AppError('PRECONDITION_FAILED', `${what} was changed by another writer; read it again`, { cause: err });
      }
      throw err;
    }
  }

  async delete(owner: string): Promise<void> {
    await deleteEntityIfExists(this.table, checkedKeyPart(owner, 'owner'), ROW_KEY, whatOf(owner));
  }
}
