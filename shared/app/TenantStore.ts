import { type AppError } from '../core/errors/AppError';
import { type TenantConfig } from '../config/TenantConfig';

export interface TenantRecord {
  id: string;
  config: TenantConfig;
  /** Optimistic-concurrency tag; pass it back to replace/delete to refuse lost updates. */
  etag: string;
  createdAt: string;
  updatedAt: string;
}

/** Port: tenant configurations (Table Storage). */
export interface TenantStore {
  get(id: string): Promise<TenantRecord | null>;
  /**
   * Every tenant. A stored configuration that no longer validates throws (AppError CONFIG), unless
   * `onInvalid` is given: then that tenant is reported to it and left out, so one bad row cannot stop the
   * schedules of all the others.
   */
  list(options?: { onInvalid?: (id: string, error: AppError) => void }): Promise<TenantRecord[]>;
  /** AppError CONFLICT when the id exists. */
  create(id: string, config: TenantConfig): Promise<TenantRecord>;
  /** AppError NOT_FOUND when missing, PRECONDITION_FAILED when ifMatch is stale. */
  replace(id: string, config: TenantConfig, ifMatch?: string): Promise<TenantRecord>;
  /** AppError NOT_FOUND when missing, PRECONDITION_FAILED when ifMatch is stale. */
  delete(id: string, ifMatch?: string): Promise<void>;
}
