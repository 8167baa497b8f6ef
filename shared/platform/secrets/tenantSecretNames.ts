import { TenantIdSchema } from '../../config/TenantConfig';
import { AppError } from '../../core/errors/AppError';

/** What each of a tenant's secrets is for, and which admin route writes it. */
export type TenantSecretKind = 'pbx' | 'graph' | 'graphCertificate';

/**
 * The names of a tenant's secrets. The connector owns them: they are derived from the tenant id and never
 * read from a configuration, so no configuration can point the connector at another tenant's secret.
 */
export interface TenantSecretNames {
  /** JSON {username, password, origin, writtenAt}: the PBX admin credential and the PBX origin it is for. */
  pbx: string;
  /** The Entra app's client secret (auth kind `clientSecret`), or the sandbox Graph token (kind `sandbox`). */
  graph: string;
  /** The Entra app's certificate with its private key, PEM (auth kind `certificate`; a Key Vault certificate works too). */
  graphCertificate: string;
  /** The certificate the connector makes and renews itself (auth kind `managedCertificate`): a Key Vault certificate. */
  graphManagedCertificate: string;
  /** The PBX key the connector registered as the PBX's event-webhook Bearer token (it must send it to the PBX again). */
  pbxEventKey: string;
}

/** The operator's multi-tenant app's certificate (auth kind `sharedApp`): one for every tenant, not a tenant's own. */
export const SHARED_APP_CERTIFICATE_NAME = 'shared-app-graph-managed';

/**
 * `tenant-<id>-pbx`, `tenant-<id>-graph`, `tenant-<id>-graph-cert`, `tenant-<id>-graph-managed`, `tenant-<id>-pbx-events`. Tenant ids are lowercase letters, digits and
 * dashes (≤ 63), so every name is a valid Key Vault name (≤ 127, alphanumerics and dashes). Each kind ends in its
 * own last word (pbx, graph, cert, managed, events), so two different tenants can never derive the same name, whatever their ids.
 * Other connector secrets (clientStates: `graph-client-state-…`, the shared app's certificate) do not start with `tenant-`.
 */
export function tenantSecretNames(tenantId: string): TenantSecretNames {
  if (!TenantIdSchema.safeParse(tenantId).success) throw new AppError('INTERNAL', 'a secret name was asked for an invalid tenant id');
  const prefix = `tenant-${tenantId}`;
  return {
    pbx: `${prefix}-pbx`,
    graph: `${prefix}-graph`,
    graphCertificate: `${prefix}-graph-cert`,
    graphManagedCertificate: `${prefix}-graph-managed`,
    pbxEventKey: `${prefix}-pbx-events`,
  };
}

/** The admin route that writes a secret of this kind (for NOT_READY messages). */
export function secretWriteRoute(tenantId: string, kind: TenantSecretKind): string {
  return `PUT /api/tenants/${tenantId}/secrets/${kind === 'pbx' ? 'pbx' : 'graph'}`;
}
