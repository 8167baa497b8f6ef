interface Lane {
  active: number;
  waiting: (() => void)[];
  /** Epoch ms before which no queued request of this mailbox starts (a 429's Retry-After). */
  pausedUntil: number;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Outlook's limits per mailbox on our side: at most `maxInFlight` requests of one mailbox at a time (Outlook
 * refuses the fifth concurrent one), and a pause that holds back that mailbox's queued requests after a
 * 429, while every other mailbox goes on. Keys are compared case-insensitively (object ids and addresses).
 * Lanes are dropped when idle, so thousands of mailboxes cost nothing between runs.
 */
export class MailboxGate {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly maxInFlight = 4,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `task` once the mailbox has a free slot and is not paused; the slot is held until it settles. */
  async run<T>(mailbox: string, task: () => Promise<T>): Promise<T> {
    const key = mailbox.toLowerCase();
    await this.acquire(key);
    try {
      return await task();
    } finally {
      this.release(key);
    }
  }

  /** No request of this mailbox starts for `ms` from now (requests already sent are not recalled). */
  pause(mailbox: string, ms: number): void {
    const key = mailbox.toLowerCase();
    const lane = this.laneOf(key);
    lane.pausedUntil = Math.max(lane.pausedUntil, this.now() + Math.max(0, ms));
    // Arms the lane's timer, which also drops the lane once the pause is over and nothing waits.
    this.drain(key, lane);
  }

  /** Requests of this mailbox holding a slot now (tests). */
  inFlight(mailbox: string): number {
    return this.lanes.get(mailbox.toLowerCase())?.active ?? 0;
  }

  private acquire(key: string): Promise<void> {
    const lane = this.laneOf(key);
    if (lane.active < this.maxInFlight && lane.waiting.length === 0 && this.now() >= lane.pausedUntil) {
      lane.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      lane.waiting.push(resolve);
      this.drain(key, lane);
    });
  }

  private release(key: string): void {
    const lane = this.lanes.get(key)!;
    lane.active -= 1;
    this.drain(key, lane);
  }

  private drain(key: string, lane: Lane): void {
    const wait = lane.pausedUntil - this.now();
    if (wait > 0) {
      // One timer per paused lane; a pause extended meanwhile is seen when it fires.
      lane.timer ??= setTimeout(() => {
        lane.timer = undefined;
        this.drain(key, lane);
      }, wait);
      return;
    }
    while (lane.active < this.maxInFlight && lane.waiting.length > 0) {
      lane.active += 1;
      lane.waiting.shift()!();
    }
    if (lane.active === 0 && lane.waiting.length === 0 && lane.timer === undefined) this.lanes.delete(key);
  }

  private laneOf(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { active: 0, waiting: [], pausedUntil: 0 };
      this.lanes.set(key, lane);
    }
    return lane;
  }
}
