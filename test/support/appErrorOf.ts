import { AppError } from '../../shared/core/errors/AppError';

/** The AppError a promise rejects with (anything else, or no rejection, fails the test). */
export async function appErrorOf(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, but the call succeeded');
}
