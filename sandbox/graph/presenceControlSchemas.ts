import { z } from 'zod';
import { TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES } from '../../shared/graph/TeamsPresence';

const presenceFields = {
  availability: z.enum(TEAMS_AVAILABILITIES, { error: `must be one of ${TEAMS_AVAILABILITIES.join(', ')}` }),
  activity: z.enum(TEAMS_ACTIVITIES, { error: `must be one of ${TEAMS_ACTIVITIES.join(', ')}` }),
};

/** `POST /_sandbox/presence/{userId}`: the user's new presence, both values from Graph's lists. */
export const SetPresenceSchema = z.object(presenceFields).strict();

/**
 * `POST /_sandbox/presence`: many users at once (a benchmark changes 100 of 10,000), applied all or none. The
 * control API's 64 KB body limit allows about 600 changes per request.
 */
export const PresenceChangesSchema = z
  .object({
    changes: z
      .array(z.object({ userId: z.string().min(1).max(256), ...presenceFields }).strict())
      .min(1, 'name at least one change')
      .max(10_000),
  })
  .strict();
