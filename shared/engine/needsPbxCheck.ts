import { winningWish } from './arbitratePresence';
import { type PresenceRecord, type PresenceWish } from './PresenceRecord';

/**
 * Whether a user's PBX status must be read (and maybe written) this cycle. Most cycles read nothing: only a
 * changed wish, a status to restore, or a re-assertion of what the connector holds the PBX to costs a PBX
 * request, so an unchanged tenant costs its Graph calls alone.
 */
export function needsPbxCheck(
  record: PresenceRecord | undefined,
  wishes: readonly PresenceWish[],
  cycle: { wishChanged: boolean; reassert: boolean },
): boolean {
  const wish = winningWish(wishes);
  if (cycle.reassert && (record?.applied !== undefined || record?.heldBy !== undefined || wish !== undefined)) return true;
  if (!cycle.wishChanged) return false;
  if (wish) return true;
  // No source has an opinion: only a status a higher source set needs a look (to restore it).
  return record?.applied !== undefined && record.applied.source !== 'teams';
}
