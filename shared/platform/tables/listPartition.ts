import { type TableClient, odata } from '@azure/data-tables';
import { tableErrorFor } from './tableErrorFor';

export interface ListPartitionOptions {
  /** Only rows whose key starts with this (a key-range query, not a scan). */
  rowKeyPrefix?: string | undefined;
  /** Columns to read besides the keys; `[]` reads the keys only. */
  select?: string[] | undefined;
  /** Rows per request (the service returns at most 1,000); a small limit reads only that much. */
  pageSize?: number | undefined;
}

/**
 * Every row of one partition in row-key order, page by page. Only the service calls are mapped to
 * AppErrors; what the caller does with a row (parsing) fails on its own terms.
 */
export async function* listPartition(
  table: TableClient,
  partitionKey: string,
  what: string,
  options: ListPartitionOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  const { rowKeyPrefix, pageSize = 1000 } = options;
  let filter = odata`PartitionKey eq ${partitionKey}`;
  if (rowKeyPrefix) {
    const end = rowKeyPrefix.slice(0, -1) + String.fromCharCode(rowKeyPrefix.charCodeAt(rowKeyPrefix.length - 1) + 1);
    filter += odata` and RowKey ge ${rowKeyPrefix} and RowKey lt ${end}`;
  }
  yield* listRows(table, filter, what, { select: options.select, pageSize });
}

/** Every row matching an OData filter (a scan unless the filter names keys), page by page. */
export async function* listRows(
  table: TableClient,
  filter: string,
  what: string,
  options: Pick<ListPartitionOptions, 'select' | 'pageSize'> = {},
): AsyncGenerator<Record<string, unknown>> {
  const select = options.select ? ['partitionKey', 'rowKey', ...options.select] : undefined;
  const pages = table
    .listEntities<Record<string, unknown>>({ queryOptions: select ? { filter, select } : { filter } })
    .byPage({ maxPageSize: Math.min(Math.max(options.pageSize ?? 1000, 1), 1000) });
  while (true) {
    let page: IteratorResult<Record<string, unknown>[]>;
    try {
      page = await pages.next();
    } catch (err) {
      throw tableErrorFor(err, what);
    }
    if (page.done) return;
    yield* page.value;
  }
}
