import { type WriteKind } from './Route';

/** One presence write applied (status as the user, or the admin's DND switch), for benches that time them. */
export interface PresenceWriteLogEntry {
  /** The PBX user id. */
  userId: string;
  /** When it was applied (epoch ms). */
  at: number;
  kind: 'status' | 'dnd';
  /** The status chosen (e.g. DO_NOT_DISTURB), or the DND switch: 'true', 'false' or 'null' (the default). */
  value: string;
}

/** The most entries presenceWriteLog keeps between resets (a long-running sandbox must not grow without end). */
export const MAX_PRESENCE_WRITE_LOG = 200_000;

/** What the sandbox PBX has served since the last reset. */
export interface SandboxStats {
  requests: number;
  /** Successful mutating calls: create, update, destroy, binding and unbinding, uploads, password changes. */
  writes: number;
  /** The same writes by what they changed, e.g. `personalContacts`. */
  writesByKind: Partial<Record<WriteKind, number>>;
  /** Requests per route, e.g. 'GET /api/users/{id}'. */
  byRoute: Record<string, number>;
  /** 429 answers, from the rate limit or an injected throttle. */
  throttled: number;
  /** Successful sign-ins by users other than the tenant admin (each one a session as that user). */
  userSignIns: number;
  /** `POST /api/user/presence` writes applied (a lost one, see presenceWritesLost, is not). */
  presenceWrites: number;
  /** User updates whose `enable_dnd` was applied (the admin's DND switch). */
  dndWrites: number;
  /** Presence writes (status or DND) answered 200 but not applied, by the injected lost-write fault. */
  presenceWritesLost: number;
  /** The presence writes applied, in order (at most MAX_PRESENCE_WRITE_LOG; later ones are counted in presenceWriteLogDropped). */
  presenceWriteLog: PresenceWriteLogEntry[];
  presenceWriteLogDropped: number;
  reset(): void;
}

export function createSandboxStats(): SandboxStats {
  const stats: SandboxStats = {
    requests: 0,
    writes: 0,
    writesByKind: {},
    byRoute: {},
    throttled: 0,
    userSignIns: 0,
    presenceWrites: 0,
    dndWrites: 0,
    presenceWritesLost: 0,
    presenceWriteLog: [],
    presenceWriteLogDropped: 0,
    reset: () => {
      stats.requests = 0;
      stats.writes = 0;
      stats.writesByKind = {};
      stats.byRoute = {};
      stats.throttled = 0;
      stats.userSignIns = 0;
      stats.presenceWrites = 0;
      stats.dndWrites = 0;
      stats.presenceWritesLost = 0;
      stats.presenceWriteLog = [];
      stats.presenceWriteLogDropped = 0;
    },
  };
  return stats;
}
