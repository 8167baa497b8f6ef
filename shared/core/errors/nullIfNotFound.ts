import { isAppError } from './AppError';

/** The work's result, or null when it failed with NOT_FOUND ("does not exist" is an answer, not an error). */
export async function nullIfNotFound<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) return null;
    throw err;
  }
}
