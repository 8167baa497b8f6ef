/** A stored user group (extension group); members are user ids, so a deleted user leaves every group with it. */
export interface GroupRecord {
  readonly id: string;
  name: string;
  /** null = blank, as PortSIP returns blank fields. */
  description: string | null;
  outbound_caller_ids: unknown[];
  readonly members: Set<string>;
}

/**
 * The tenant's user groups in creation order. ⚠ Whether PortSIP refuses a duplicate group name is undocumented
 * (reference/portsip.md §3), so the sandbox allows it, as it does duplicate emails.
 */
export class GroupDirectory {
  private readonly byId = new Map<string, GroupRecord>();

  get(id: string): GroupRecord | undefined {
    return this.byId.get(id);
  }

  add(record: GroupRecord): void {
    this.byId.set(record.id, record);
  }

  remove(record: GroupRecord): void {
    this.byId.delete(record.id);
  }

  all(): GroupRecord[] {
    return [...this.byId.values()];
  }
}
