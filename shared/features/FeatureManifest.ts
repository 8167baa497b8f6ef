import { type z } from 'zod';
import { type ConfigMigrations, type SectionMigration } from '../config/ConfigMigration';
import { type PbxSupports } from '../pbx/ports/PbxProfile';

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
  /**
   * How the feature's section of a stored configuration catches up with the code: `{ 1: step }` upgrades the
   * section of a version-1 configuration to version 2 (versions are the tenant's `schemaVersion`; a feature
   * lists only the versions where its section changed). Run by migrateTenantConfig before validation.
   */
  migrations?: ConfigMigrations<SectionMigration>;
  /**
   * The PBX capability the feature writes through (PbxProfile.supports); a tenant whose PBX product lacks it
   * cannot turn the feature on (422 when the configuration is written, naming the product).
   */
  pbxCapability?: keyof PbxSupports;
}
