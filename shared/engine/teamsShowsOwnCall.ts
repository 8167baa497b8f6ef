import { type TeamsAvailability } from '../graph/TeamsPresence';
import { type PresenceRecord } from './PresenceRecord';

/**
 * Whether the Teams presence just read is (as far as anyone can tell) the "in a call" session the connector set
 * for a PBX call: the connector holds a live session for the user and Teams shows Busy. Such a state must not
 * come back to the PBX as a status (PBX call → Teams Busy → PBX DND would be a loop), so the presence feature
 * treats it as saying nothing. A state stronger than Busy (the user chose Do not disturb) is the user's own and
 * still counts; once the session ends, Teams shows the user's own state again.
 */
export function teamsShowsOwnCall(record: PresenceRecord | undefined, availability: TeamsAvailability, now: Date): boolean {
  const call = record?.call;
  if (!call?.active) return false;
  if (call.sessionUntil !== undefined && Date.parse(call.sessionUntil) <= now.getTime()) return false;
  return availability === 'Busy' || availability === 'BusyIdle';
}
