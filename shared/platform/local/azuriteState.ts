import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** `.local/azurite.json`: the Azurite this checkout started, so a second command can share it and nothing else. */
const AzuriteStateSchema = z.object({
  pid: z.int().positive(),
  port: z.int().min(1).max(65535),
  location: z.string().min(1),
});

export type AzuriteState = z.infer<typeof AzuriteStateSchema>;

/** The recorded Azurite, or undefined when there is no file or it is not one we wrote (treated as stale). */
export function readAzuriteState(path: string): AzuriteState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = AzuriteStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeAzuriteState(path: string, state: AzuriteState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the file only while it still names this pid, so a newer Azurite's record survives an old one's stop. */
export function removeAzuriteState(path: string, pid: number): void {
  if (readAzuriteState(path)?.pid === pid) rmSync(path, { force: true });
}
