import { type z } from 'zod';

export interface FieldIssue {
  path: string;
  message: string;
}

/** Every issue of a failed parse, as `path: message` pairs, so one error lists every bad field. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

export function formatZodIssues(error: z.ZodError): string {
  return zodIssues(error)
    .map((i) => `  - ${i.path}: ${i.message}`)
    .join('\n');
}
