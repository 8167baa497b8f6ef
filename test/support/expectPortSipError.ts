import { expect } from 'vitest';
import { type PortSipReply } from './portSipRestCall';

/** Asserts a refusal in PortSIP's error shape: the status, the first error's code and message, and the field it names. */
export function expectPortSipError(reply: PortSipReply, status: number, code: string, field?: string): void {
  expect(reply.status, reply.text).toBe(status);
  const error = (reply.body as { errors: Array<{ code: string; message: string; detail?: { field?: string } }> }).errors[0]!;
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  if (field !== undefined) expect(error.detail?.field).toBe(field);
}
