import { zodIssues } from '../../config/formatZodIssues';
import { AppError } from '../../core/errors/AppError';
import { type SyncJob, SyncJobSchema } from './SyncJob';

/**
 * Validates a queue message body. An invalid message can never succeed, so the error says why; the
 * trigger's retries then move it to the dead-letter queue, where it is kept for inspection.
 */
export function parseSyncJob(body: unknown): SyncJob {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new AppError('INVALID', 'sync job message is not JSON');
    }
  }
  const parsed = SyncJobSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(
      'INVALID',
      `invalid sync job message: ${zodIssues(parsed.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
