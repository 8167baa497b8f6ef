import { AppError } from '../../core/errors/AppError';
import { type EnqueueOptions } from './JobQueue';

/** Rejects options Service Bus would refuse (message ids are 1-128 characters) or could not schedule. */
export function checkEnqueueOptions(options: EnqueueOptions): void {
  const { messageId, scheduledEnqueueTime } = options;
  if (messageId !== undefined && (messageId.length === 0 || messageId.length > 128)) {
    throw new AppError('INVALID', 'queue message id must be 1-128 characters');
  }
  if (scheduledEnqueueTime !== undefined && !(scheduledEnqueueTime instanceof Date && Number.isFinite(scheduledEnqueueTime.getTime()))) {
    throw new AppError('INVALID', 'scheduledEnqueueTime must be a valid Date');
  }
}
