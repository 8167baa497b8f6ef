/**
 * What happened to one feature's link (source object ↔ PBX record), for other features to react to: groups
 * adds a newly linked user's extension to its groups, presence starts watching a linked user. Ids only, no
 * personal data.
 */
export type LinkEvent =
  | { kind: 'linked'; feature: string; sourceId: string; pbxId: string; extension: string }
  | { kind: 'unlinked'; feature: string; sourceId: string; pbxId?: string | undefined; extension?: string | undefined }
  | { kind: 'numberChanged'; feature: string; sourceId: string; pbxId: string; extension: string; previousExtension: string };

export type LinkEventKind = LinkEvent['kind'];

/**
 * The link events of one run, as handed to the features that react: every event up to a cap (a 10,000-user
 * initial sync links 10,000 users; a reaction needs to know that and what kind, not hold every id), counts
 * of all of them.
 */
export interface LinkEventBatch {
  tenantId: string;
  /** The feature whose links changed. */
  feature: string;
  counts: Record<LinkEventKind, number>;
  /** The first events, in the order they happened (at most LinkEventLog.MAX_EVENTS). */
  events: LinkEvent[];
  /** True when more happened than `events` holds. */
  truncated: boolean;
}
