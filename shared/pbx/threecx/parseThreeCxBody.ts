import { type z } from 'zod';
import { parsePbxAnswer } from '../parsePbxAnswer';

/** Validates an XAPI answer (INTERNAL naming the endpoint when it is not what XAPI 20 documents). */
export function parseThreeCxBody<T extends z.ZodType>(schema: T, body: unknown, endpoint: string): z.output<T> {
  return parsePbxAnswer(schema, body, endpoint, { name: '3CX', documented: 'what XAPI 20 documents' });
}
