import { type z } from 'zod';
import { parsePbxAnswer } from '../parsePbxAnswer';

/** Validates a PortSIP answer (INTERNAL naming the endpoint when it is not what the v22 REST API documents). */
export function parsePortSipBody<T extends z.ZodType>(schema: T, body: unknown, endpoint: string): z.output<T> {
  return parsePbxAnswer(schema, body, endpoint, { name: 'PortSIP', documented: 'what its v22 REST API documents' });
}
