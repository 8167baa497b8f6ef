import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';

/** Reads `Values` from local.settings.json (as `func start` does) without overriding the real environment. */
export function loadLocalSettings(path = 'local.settings.json'): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  if (existsSync(path)) {
    const parsed = z
      .object({ Values: z.record(z.string(), z.string()).default({}) })
      .passthrough()
      .safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new AppError('CONFIG', `${path} must be an object with a "Values" map of strings`);
    Object.assign(env, parsed.data.Values);
  }
  return { ...env, ...process.env };
}
