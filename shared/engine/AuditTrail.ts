/** Who did something: the console's signed-in person, an operator with the admin key, the PBX with its key, the connector itself. */
export interface AuditActor {
  kind: 'console' | 'appService' | 'adminKey' | 'pbx' | 'connector';
  /** A name to show: the principal's name, "admin key", the PBX key id… never a secret. */
  name: string;
}

/** One action on a tenant (table `audit`, partition = tenant, newest first). */
export interface AuditEntry {
  tenantId: string;
  at: string;
  actor: AuditActor;
  /** e.g. `tenant.update`, `feature.pause`, `feature.resume`, `tenant.disable`, `tenant.enable`, `tenant.disconnect`, `sync.now`, `sync.dryRun`. */
  action: string;
  /** What exactly: the feature, the delete-or-retain choice, the counts, the fields changed. No secrets. */
  detail: Record<string, unknown>;
}

/** Port: the audit trail (Table Storage). Entries are never changed; a tenant's go when the tenant is deleted. */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(tenantId: string, limit: number): Promise<AuditEntry[]>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
