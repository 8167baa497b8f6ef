import { type FeatureTimer } from '../Feature';

/**
 * A refresh timer's key: `refresh:` and the start of its window. Plan keys are base64url digests, which never
 * hold a colon, so the two kinds of timer cannot be confused.
 */
const REFRESH_PREFIX = 'refresh:';

/**
 * Notifications about one mailbox in the same window become one read at the window's end: Outlook sends a
 * notification per change (a meeting booked sends several — created, updated, the organiser's copy), and one
 * read after them sees them all.
 */
export const REFRESH_WINDOW_MS = 2_000;

/** The timer a change notification about the user's events queues: a read of their calendar at the window's end. */
export function calendarRefreshTimer(userId: string, now: Date): FeatureTimer {
  const windowStart = Math.floor(now.getTime() / REFRESH_WINDOW_MS) * REFRESH_WINDOW_MS;
  return { subject: userId, key: `${REFRESH_PREFIX}${windowStart}`, at: new Date(windowStart + REFRESH_WINDOW_MS) };
}

export function isCalendarRefresh(timer: FeatureTimer): boolean {
  return timer.key.startsWith(REFRESH_PREFIX);
}
