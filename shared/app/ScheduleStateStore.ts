/** Port: the last scheduled reconcile enqueued per tenant, so each cron occurrence is enqueued once. */
export interface ScheduleStateStore {
  getLastFire(tenantId: string): Promise<string | null>;
  setLastFire(tenantId: string, fireTimeIso: string): Promise<void>;
}
