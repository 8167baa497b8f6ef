import { TableClient } from '@azure/data-tables';
import { expect } from 'vitest';
import { type TenantConfig, type TenantConfigInput, TenantConfigSchema } from '../../../../shared/config/TenantConfig';
import { AppError, type ErrorCode } from '../../../../shared/core/errors/AppError';
import { type TableStores, createTableStores } from '../../../../shared/platform/tables/createTableStores';
import { testStorageConnectionString, uniqueTablePrefix } from '../../../support/storage';

/** Fresh stores over their own tables, plus raw clients to plant rows the stores would never write. */
export async function freshStores(): Promise<TableStores & { prefix: string; rawTable: (name: string) => TableClient }> {
  const prefix = uniqueTablePrefix();
  const stores = await createTableStores({ connectionString: testStorageConnectionString(), tablePrefix: prefix });
  const rawTable = (name: string) =>
    TableClient.fromConnectionString(testStorageConnectionString(), `${prefix}${name}`, { allowInsecureConnection: true });
  return { ...stores, prefix, rawTable };
}

export function tenantConfig(overrides: Partial<TenantConfigInput> = {}): TenantConfig {
  return TenantConfigSchema.parse({
    displayName: 'Contoso',
    microsoft365: {
      directoryId: '11111111-1111-4111-8111-111111111111',
      applicationId: '22222222-2222-4222-8222-222222222222',
      auth: { kind: 'certificate' },
    },
    pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.example:8887', domain: 'contoso.example' },
    ...overrides,
  });
}

/** The AppError a promise rejects with, checked for its code. */
export async function rejection(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}
