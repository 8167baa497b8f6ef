import { type ErrorCode, isAppError } from '../../core/errors/AppError';
import { type KeyWrapper, type WrappedKey } from '../../platform/keys/KeyWrapper';
import { type TenantDataKeyStore } from './TenantDataKeyStore';

/** Failures that would hit every row alike: the run stops (and is run again) rather than fail them all. */
const STOPPING = new Set<ErrorCode>(['TRANSIENT', 'THROTTLED', 'CONFIG']);

export interface RewrapOptions {
  /** Data keys read per page (default 100; at most 1,000). */
  pageSize?: number;
  /** Stop after this many pages and answer where to go on (default: until done). */
  maxPages?: number;
  /** A previous report's continuationToken: go on from there. */
  continuationToken?: string | undefined;
}

export interface RewrapReport {
  /** The key version everything was wrapped with. */
  keyId: string;
  examined: number;
  rewrapped: number;
  /** Changed by another writer between our read and our write (another re-wrap, a deletion): left to it. */
  changedMeanwhile: number;
  /** Data keys that could not be re-wrapped (e.g. their version was deleted in Key Vault); the run went on. */
  failed: { tenantId: string; version: number; code: string; message: string }[];
  /** Set when maxPages stopped the run before the end: pass it back to go on. */
  continuationToken?: string | undefined;
  done: boolean;
}

/**
 * After the wrapping key got a new version (Key Vault's rotation policy, or by hand), re-wraps every tenant's data
 * keys with it: unwrap with the version each row names, wrap with the current one, conditional write (ETag). Only
 * rows not yet under the current version are read, so a second run (or one resumed from a continuationToken)
 * does only what is left, and a run after a crash is safe. The data keys themselves do not change, so nothing
 * encrypted with them needs touching. Key Vault and Table Storage failures that may pass (TRANSIENT, THROTTLED)
 * and configuration errors stop the run; run it again.
 */
export async function rewrapTenantDataKeys(
  deps: { dataKeys: TenantDataKeyStore; keyWrapper: KeyWrapper },
  options: RewrapOptions = {},
): Promise<RewrapReport> {
  const keyId = await deps.keyWrapper.currentKeyId();
  const report: RewrapReport = { keyId, examined: 0, rewrapped: 0, changedMeanwhile: 0, failed: [], done: false };
  const pageSize = options.pageSize ?? 100;
  let continuationToken = options.continuationToken;
  for (let pages = 0; options.maxPages === undefined || pages < options.maxPages; pages++) {
    const page = await deps.dataKeys.pageNotWrappedWith(keyId, { pageSize, continuationToken });
    for (const key of page.keys) {
      report.examined++;
      let dataKey: Buffer | undefined;
      let wrapped: WrappedKey;
      try {
        dataKey = await deps.keyWrapper.unwrap(key.wrappedKey, key.keyId);
        wrapped = await deps.keyWrapper.wrap(dataKey);
      } catch (err) {
        if (!isAppError(err) || STOPPING.has(err.code)) throw err;
        report.failed.push({ tenantId: key.tenantId, version: key.version, code: err.code, message: err.message });
        continue;
      } finally {
        dataKey?.fill(0);
      }
      try {
        await deps.dataKeys.rewrap(key, wrapped);
        report.rewrapped++;
      } catch (err) {
        if (!isAppError(err, 'PRECONDITION_FAILED') && !isAppError(err, 'NOT_FOUND')) throw err;
        report.changedMeanwhile++;
      }
    }
    continuationToken = page.continuationToken;
    if (!continuationToken) {
      report.done = true;
      return report;
    }
  }
  return { ...report, continuationToken };
}
