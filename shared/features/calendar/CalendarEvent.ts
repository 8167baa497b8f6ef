/** An event as the calendar feature reads it (an occurrence of a series is an event of its own). */
export interface CalendarEvent {
  id: string;
  /** Changes whenever the event does. */
  changeKey: string;
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  isAllDay: boolean;
  isCancelled: boolean;
  /** Epoch ms, UTC. */
  start: number;
  end: number;
}
