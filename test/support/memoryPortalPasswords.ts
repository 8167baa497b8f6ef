import { type KeptPortalPassword, type NoUserAccessReason, type PortalPasswords } from '../../shared/pbx/ports/PortalPasswords';

/** One call a test may want to see, in order (never the password itself). */
export type PortalPasswordEvent =
  | { kind: 'reserve'; userName: string; generated: boolean }
  | { kind: 'replace'; userName: string }
  | { kind: 'markRefused'; userName: string; reason: NoUserAccessReason }
  | { kind: 'forget'; userName: string };

/**
 * PortalPasswords in memory, for tests: keeps the passwords in a Map and records every write as an event, so a
 * test can check the order of "kept" and "sent to the PBX" and what was marked refused.
 */
export class MemoryPortalPasswords implements PortalPasswords {
  readonly events: PortalPasswordEvent[] = [];
  private readonly kept = new Map<string, KeptPortalPassword>();
  /** Called after each write, e.g. to look at the PBX at that moment. */
  onWrite: ((event: PortalPasswordEvent) => void) | undefined;

  async reserve(userName: string, generate: () => string): Promise<string> {
    const existing = this.kept.get(userName);
    if (existing) {
      this.record({ kind: 'reserve', userName, generated: false });
      return existing.password;
    }
    const password = generate();
    this.kept.set(userName, { password });
    this.record({ kind: 'reserve', userName, generated: true });
    return password;
  }

  async get(userName: string): Promise<KeptPortalPassword | null> {
    const kept = this.kept.get(userName);
    return kept ? { ...kept } : null;
  }

  async replace(userName: string, password: string): Promise<void> {
    this.kept.set(userName, { password });
    this.record({ kind: 'replace', userName });
  }

  async markRefused(userName: string, reason: NoUserAccessReason): Promise<void> {
    const kept = this.kept.get(userName);
    if (kept) kept.refused = { reason, at: new Date().toISOString() };
    this.record({ kind: 'markRefused', userName, reason });
  }

  async forget(userName: string): Promise<void> {
    this.kept.delete(userName);
    this.record({ kind: 'forget', userName });
  }

  /** The kept password (tests only). */
  passwordOf(userName: string): string | undefined {
    return this.kept.get(userName)?.password;
  }

  /** A test sets up a kept password directly (e.g. one kept before the PBX create). */
  keep(userName: string, password: string): void {
    this.kept.set(userName, { password });
  }

  private record(event: PortalPasswordEvent): void {
    this.events.push(event);
    this.onWrite?.(event);
  }
}
