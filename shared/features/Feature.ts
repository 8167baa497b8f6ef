import { type TenantConfig } from '../config/TenantConfig';
import { type Logger } from '../core/logging/Logger';
import { type FeatureRunResult } from '../engine/FeatureRunResult';
import { type DeltaStateStore } from '../engine/DeltaStateStore';
import { type LinkStore } from '../engine/LinkStore';
import { type PendingUserStore } from '../engine/PendingUserStore';
import { type DirectoryReader } from '../graph/DirectoryReader';
import { type PbxClient } from '../pbx/ports/PbxClient';
import { type PbxProfile } from '../pbx/ports/PbxProfile';
import { type FeatureManifest } from './FeatureManifest';
import { type RunChangeRecorder } from '../engine/RunChangeRecorder';

/** A Graph change-notification subscription a feature needs while it is on. */
export interface FeatureSubscription {
  /** e.g. `users`, `groups`, `users/{id}/contactFolders/{id}/contacts`. */
  graphResource: string;
  changeType: string;
  /** The longest lifetime Graph allows for this resource (an app setting may lower it). */
  maxLifetimeMinutes: number;
}

/** The narrow dependencies one feature run gets: its tenant's adapters, the engine's stores, a logger. */
export interface FeatureContext<Options> {
  tenantId: string;
  options: Options;
  directoryReader: DirectoryReader;
  pbx: PbxClient;
  /** The PBX product's rules (limits, numbering, what an admin token may do). */
  pbxProfile: PbxProfile;
  deltaStates: DeltaStateStore;
  links: LinkStore;
  pendingUsers: PendingUserStore;
  /** PBX writes in flight (the PBX client rate-limits on top). */
  concurrency: number;
  log: Logger;
  /** The run's per-item change list; absent for dry runs. */
  changes?: RunChangeRecorder | undefined;
}

/**
 * A feature plugged into the engine: the router, the scheduler, subscription upkeep and the webhook intake
 * reach it only through this interface and the registry.
 */
export interface Feature<Options = unknown> {
  manifest: FeatureManifest;
  /** The tenant's options for this feature, or undefined when it is off for the tenant. */
  optionsFor(config: TenantConfig): Options | undefined;
  /** Whether the tenant's scheduled reconcile runs this feature (in full). */
  reconcileOnSchedule: boolean;
  /** The subscriptions whose notifications ask for this feature's delta run. */
  subscriptions(options: Options): FeatureSubscription[];
  /** One run (or, with dryRun, its preview: nothing written anywhere). */
  sync(context: FeatureContext<Options>, request: { mode: 'full' | 'delta'; dryRun: boolean }): Promise<FeatureRunResult>;
}
