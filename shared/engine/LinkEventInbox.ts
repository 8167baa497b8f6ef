import { type LinkEvent } from './LinkEvent';

/** A link event waiting for one feature, under the id it is removed by once handled. */
export interface InboxLinkEvent {
  id: string;
  event: LinkEvent;
}

/**
 * Port: link events kept for a feature that reacts to them one by one (groups places a newly linked user
 * in its groups). The engine appends a run's events before it asks for the reacting feature's run; that
 * run lists them, applies them and removes them, so events survive crashes and runs that coalesce.
 * Table Storage, one partition per tenant and feature, oldest first.
 */
export interface LinkEventInbox {
  append(tenantId: string, feature: string, events: readonly LinkEvent[]): Promise<void>;
  /** The oldest events first, at most `limit` (default 1,000). */
  list(tenantId: string, feature: string, limit?: number): Promise<InboxLinkEvent[]>;
  /** Idempotent. */
  remove(tenantId: string, feature: string, ids: readonly string[]): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
