import { type z } from 'zod';

/**
 * The queue lane a feature's jobs run in. One writer per tenant and lane: a long directory sync (users,
 * groups, contacts) never holds back a realtime change (presence, calendar, call state).
 */
export type Lane = 'directory' | 'realtime';

/**
 * What the rest of the system needs to know of a feature before anything runs: its name (the key of its
 * section in the tenant configuration, of its jobs, links and delta state), its lane, and the schema of its
 * options. Pure data — the configuration schema is composed from these without loading any feature code.
 */
export interface FeatureManifest<Options extends z.ZodType = z.ZodType> {
  name: string;
  lane: Lane;
  /** The feature's section of the tenant configuration; every field has a default, so `{}` is valid. */
  options: Options;
}
