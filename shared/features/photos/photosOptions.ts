import { z } from 'zod';

/** Entra profile photos → the PBX pictures of synced users. `{}` is valid (and off). */
export const PhotoSyncOptionsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Users checked side by side (each check is one Graph request; a changed photo adds a download and the PBX upload). */
    concurrency: z.number().int().min(1).max(64).default(16),
  })
  .strict();
export type PhotoSyncOptions = z.infer<typeof PhotoSyncOptionsSchema>;
