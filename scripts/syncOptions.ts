import { z } from 'zod';
import { type CommandLine, parseCommandLine } from '../shared/platform/local/parseCommandLine';

export const SYNC_USAGE =
  'usage: npm run sync -- --tenant <id> [--feature <name>] [--dry-run] [--mode full|delta]   (--mode defaults to full; every feature by default)';

// `full` by default, dry run or not, as POST /api/tenants/{id}/sync[?dryRun=true] does without ?mode.
const SyncOptionsSchema = z
  .object({
    tenant: z.string({ error: 'is required' }).trim().min(1, 'must not be empty'),
    'dry-run': z.boolean().default(false),
    mode: z.enum(['full', 'delta'], { error: 'must be full or delta' }).default('full'),
    feature: z.string().trim().min(1, 'must not be empty').optional(),
  })
  .transform((o) => ({ tenant: o.tenant, dryRun: o['dry-run'], mode: o.mode, feature: o.feature }));

export type SyncOptions = z.output<typeof SyncOptionsSchema>;

/** `npm run sync` arguments. */
export function parseSyncOptions(argv: readonly string[]): CommandLine<SyncOptions> {
  return parseCommandLine(argv, {
    usage: SYNC_USAGE,
    options: { tenant: { type: 'string' }, feature: { type: 'string' }, 'dry-run': { type: 'boolean' }, mode: { type: 'string' } },
    schema: SyncOptionsSchema,
  });
}
