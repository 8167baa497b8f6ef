import { AppError } from '../core/errors/AppError';
import { MAX_PRESENCE_IDS_PER_CALL, type PresenceReader } from './PresenceReader';
import { GetPresencesAnswerSchema, type TeamsPresence } from './TeamsPresence';
import { graphErrorFor } from './graphErrorFor';
import { CountedGraphPort } from './CountedGraphPort';

/** What a 403 on presence asks for. */
const PRESENCE_PERMISSIONS = 'Presence.Read.All';

/**
 * The PresenceReader adapter over Microsoft Graph for one tenant. Throttling (429, Graph allows 1,500
 * presence requests per 30 s per app and tenant) is retried after Retry-After by the connection's
 * RetryHandler (createGraphClient), which also retries this POST since its JSON body is buffered; what
 * reaches here is final for the call.
 */
export class GraphPresenceReader extends CountedGraphPort implements PresenceReader {
  async getPresences(userIds: readonly string[]): Promise<TeamsPresence[]> {
    if (userIds.length > MAX_PRESENCE_IDS_PER_CALL)
      throw new AppError(
        'INVALID',
        `reading Teams presence: ${userIds.length} ids asked for in one call, Graph takes at most ${MAX_PRESENCE_IDS_PER_CALL}`,
      );
    // No request for nothing: it would only spend the app's presence budget.
    if (userIds.length === 0) return [];
    const what = `reading the Teams presence of ${userIds.length} users`;
    let answer: unknown;
    try {
      answer = await this.client.api('/communications/getPresencesByUserId').post({ ids: [...userIds] });
    } catch (err) {
      throw graphErrorFor(err, what, PRESENCE_PERMISSIONS);
    }
    const parsed = GetPresencesAnswerSchema.safeParse(answer);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new AppError('INTERNAL', `${what}: unexpected answer from Graph${where}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data.value;
  }
}
