/**
 * The start (epoch ms) of the window of `windowMs` that `now` falls into. Repeated lifecycle events of one
 * subscription inside one window share a job id (NotificationIntake), so the queue's duplicate detection
 * keeps one. Delta jobs no longer use windows: see DeltaDemand.
 */
export function debounceWindowStart(now: Date, windowMs: number): number {
  return Math.floor(now.getTime() / windowMs) * windowMs;
}
