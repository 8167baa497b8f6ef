import { expect } from 'vitest';
import { AppError, type ErrorCode } from '../../shared/core/errors/AppError';

/** The AppError a promise rejects with, checked for its code (no rejection, or another error, fails the test). */
export async function refusal(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}
