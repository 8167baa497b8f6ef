import { tableErrorFor } from './tableErrorFor';

/** Runs one Table Storage SDK call, turning its failure into an AppError. Wrap SDK calls only, not parsing. */
export async function tableCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw tableErrorFor(err, what);
  }
}
