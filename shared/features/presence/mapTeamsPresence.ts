import { type TeamsActivity, type TeamsAvailability } from '../../graph/TeamsPresence';
import { type PresenceRule, type PresenceTarget } from './presenceOptions';

/** The PBX status a Teams state asks for under the tenant's rules (first match wins; no match: leave). */
export function mapTeamsPresence(rules: readonly PresenceRule[], availability: TeamsAvailability, activity: TeamsActivity): PresenceTarget {
  const rule = rules.find(
    (candidate) =>
      (candidate.availability === undefined || candidate.availability.includes(availability)) &&
      (candidate.activity === undefined || candidate.activity.includes(activity)),
  );
  return rule?.target ?? 'leave';
}
