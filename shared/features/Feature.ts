import { type TenantConfig } from '../config/TenantConfig';
import { type Logger } from '../core/logging/Logger';
import { type FeatureRunResult } from '../engine/FeatureRunResult';
import { type DeltaStateStore } from '../engine/DeltaStateStore';
import { type LinkStore } from '../engine/LinkStore';
import { type LinkedUser, type LinkedUsers } from '../engine/LinkedUsers';
import { type NumberQuarantineStore } from '../engine/NumberQuarantineStore';
import { type LinkEventBatch } from '../engine/LinkEvent';
import { type PendingUserStore } from '../engine/PendingUserStore';
import { type DirectoryReader } from '../graph/DirectoryReader';
import { type PbxClient } from '../pbx/ports/PbxClient';
import { type PbxProfile } from '../pbx/ports/PbxProfile';
import { type FeatureManifest } from './FeatureManifest';
import { type FeaturePolling } from './FeaturePolling';
import { type RunChangeRecorder } from '../engine/RunChangeRecorder';
import { type GroupLinkStore } from '../engine/GroupLinkStore';
import { type GroupMembershipStore } from '../engine/GroupMembershipStore';
import { type InboxLinkEvent } from '../engine/LinkEventInbox';
import { type PbxGroups } from '../pbx/ports/PbxGroups';
import { type ContactLinkStore } from '../engine/ContactLinkStore';
import { type ContactSourceStore } from '../engine/ContactSourceStore';
import { type PhotoStateStore } from '../engine/PhotoStateStore';
import { type MailboxReader } from '../graph/MailboxReader';
import { type PbxAvatars } from '../pbx/ports/PbxAvatars';
import { type PbxCompanyContacts } from '../pbx/ports/PbxCompanyContacts';
import { type PbxPersonalContacts } from '../pbx/ports/PbxPersonalContacts';
import { type PbxPortalAccess } from '../pbx/ports/PbxPortalAccess';
import { type PresenceReader } from '../graph/PresenceReader';
import { type PbxPresence } from '../pbx/ports/PbxPresence';
import { type PbxCallEvent } from '../pbx/ports/PbxCallEvent';
import { type TeamsPresenceWriter } from '../graph/TeamsPresenceWriter';
import { type PresenceStateStore } from '../engine/PresenceStateStore';
import { type PresenceHistory } from '../engine/PresenceHistory';
import { type RunProgress } from '../engine/RunProgress';

/** A Graph change-notification subscription a feature needs while it is on. */
export interface FeatureSubscription {
  /** e.g. `users`, `groups`, `users/{id}/contactFolders/{id}/contacts`. */
  graphResource: string;
  changeType: string;
  /** The longest lifetime Graph allows for this resource (an app setting may lower it). */
  maxLifetimeMinutes: number;
}

/** A Graph subscription per user (an Outlook resource: at most 1,000 per mailbox for all apps together). */
export interface FeatureUserSubscription {
  /** The resource for one user, e.g. `users/{id}/events`. */
  graphResource(userId: string): string;
  changeType: string;
  maxLifetimeMinutes: number;
}

/**
 * Subscriptions per user whose notifications name the user they are about: each one asks for a timer about that
 * user (the feature re-reads one mailbox in onTimer), never a run over the whole tenant.
 */
export interface FeatureUserSubscriptions<Options> {
  /** The subscription each user in scope gets, or undefined when the options want none (the feature polls). */
  subscription(options: Options): FeatureUserSubscription | undefined;
  /** Which synced users get one: the feature's own scope. */
  usersInScope(context: Pick<FeatureContext<Options>, 'directoryReader' | 'options'>, synced: readonly LinkedUser[]): Promise<LinkedUser[]>;
  /**
   * The timer a notification about the user (or a new subscription's catch-up) queues. Notifications whose
   * timers share subject, key and time collapse into one job, so the key and time carry the debounce window.
   */
  timerFor(userId: string, now: Date): FeatureTimer;
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
  /**
   * The users feature's links, writable: only the users feature writes them (a test keeps it so). Every
   * other feature reads them through `linkedUsers`.
   */
  links: LinkStore;
  /** Read-only port on the users feature's links: who is synced, under which extension. */
  linkedUsers: LinkedUsers;
  pendingUsers: PendingUserStore;
  /** The PBX's extension groups; absent when the tenant's PBX adapter does not implement them. */
  pbxGroups?: PbxGroups | undefined;
  /** The groups feature's links and memberships (only it writes them; a test keeps it so). */
  groupLinks: GroupLinkStore;
  groupMembers: GroupMembershipStore;
  /** Link events other features' runs left for this feature (see Feature.onLinkEvents), oldest first. */
  linkEventInbox: FeatureLinkEventInbox;
  /** Outlook mailboxes (contact folders) and profile photos. */
  mailboxReader: MailboxReader;
  /** The PBX's contact books; a port the tenant's adapter does not implement (or cannot, without kept passwords) is absent. */
  pbxContacts: { company?: PbxCompanyContacts | undefined; personal?: PbxPersonalContacts | undefined };
  pbxAvatars?: PbxAvatars | undefined;
  /** Sessions as users (PortSIP): checked and, with manageUserPasswords, repaired. */
  pbxPortalAccess?: PbxPortalAccess | undefined;
  /** The contact features' links and the folders they copy (only those features write them). */
  contactLinks: ContactLinkStore;
  contactSources: ContactSourceStore;
  /** The photos feature's record of what each user's PBX picture is. */
  photoStates: PhotoStateStore;
  /** Teams presence, read app-only. */
  presenceReader: PresenceReader;
  /** The PBX's DND and status; absent when the tenant's adapter does not implement them. */
  pbxPresence?: PbxPresence | undefined;
  /** The app's own Teams presence sessions (setPresence / clearPresence). */
  teamsPresence: TeamsPresenceWriter;
  /** The Entra application (client) id the connector signs in as: Graph's session id for its presence sessions. */
  graphApplicationId: string;
  /** The presence features' per-user records and history (only they write them). */
  presenceStates: PresenceStateStore;
  presenceHistory: PresenceHistory;
  /**
   * users.manageUserPasswords: the connector may give a user it created a new portal password when the kept one
   * stopped working (the user then signs in to the PBX portal with Microsoft).
   */
  manageUserPasswords: boolean;
  /** Numbers freed by a delete, kept from reuse until their release date (the users feature writes them). */
  numberQuarantine: NumberQuarantineStore;
  /** PBX writes in flight (the PBX client rate-limits on top). */
  concurrency: number;
  log: Logger;
  /** The time (tests move it); absent: the system clock. */
  clock?: (() => Date) | undefined;
  /** Wakes the feature at moments it plans (onTimer); absent for dry runs. */
  timers?: FeatureTimers | undefined;
  /** The run's per-item change list; absent for dry runs. */
  changes?: RunChangeRecorder | undefined;
  /**
   * The run's progress for the operator (items done, expected total); absent for dry runs, timer and poll jobs.
   * Delta rounds report their settled pages themselves (runDeltaRound); a feature adds what only it knows.
   */
  progress?: RunProgress | undefined;
}

/** A moment a feature wants to be woken at, about `subject`, under the plan `key` (see Feature.onTimer). */
export interface FeatureTimer {
  subject: string;
  key: string;
  at: Date;
}

/** Queues a feature's timers (scheduled queue messages in its lane); the same timer queued twice runs once. */
export interface FeatureTimers {
  schedule(timers: readonly FeatureTimer[]): Promise<void>;
}

/** A feature's own view of the link event inbox: it removes what it has applied. */
export interface FeatureLinkEventInbox {
  list(limit?: number): Promise<InboxLinkEvent[]>;
  remove(ids: readonly string[]): Promise<void>;
}

/** What a feature asks for when another feature's links changed. */
export interface LinkEventReaction {
  mode: 'full' | 'delta';
  /**
   * Keep the batch's events in this feature's inbox for the run to apply one by one (only for a batch that
   * is not truncated; a full run needs none).
   */
  keepEvents?: boolean | undefined;
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
  /**
   * How this feature reacts when another feature's run linked, unlinked or renumbered something (groups
   * re-checks members whose extension appeared): the run it asks for, or undefined for none. Pure: it
   * decides from the batch and its options; the engine queues the run after the other feature's run.
   */
  onLinkEvents?(batch: LinkEventBatch, options: Options): LinkEventReaction | undefined;
  /** Present for a feature that subscribes per user (calendar: each user's events). */
  userSubscriptions?: FeatureUserSubscriptions<Options> | undefined;
  /**
   * Present for a feature that acts on the PBX's call events (the PBX's webhook, authenticated and parsed by the
   * engine): the timers one request's events become, each a job in the feature's lane that onTimer handles.
   * Pure; delivery is at least once and unordered, so onTimer must make repeats and stale events no-ops.
   */
  pbxCallEvents?(events: readonly PbxCallEvent[], options: Options, arrivedAt: Date): FeatureTimer[];
  /** Present for a feature that polls its source on a period (a chain of poll jobs per tenant: FeaturePolling). */
  polling?: FeaturePolling<Options> | undefined;
  /**
   * A timer it scheduled (context.timers) is due: the feature checks it still holds under the current plan
   * (`key`) and acts, or drops it. Runs in the feature's lane under its writer lease.
   */
  onTimer?(context: FeatureContext<Options>, timer: FeatureTimer): Promise<void>;
  /**
   * The feature is paused or the tenant disconnected: what the feature made on the PBX (and in Teams) is deleted
   * or handed over (`retain`: left on the PBX, forgotten by the connector), and its own state goes. With dryRun
   * only the counts (the confirmation shows them). Absent: the engine forgets the feature's state and retains.
   */
  teardown?(context: FeatureContext<Options>, request: FeatureTeardownRequest): Promise<FeatureTeardownResult>;
  /** One run (or, with dryRun, its preview: nothing written anywhere). */
  sync(context: FeatureContext<Options>, request: { mode: 'full' | 'delta'; dryRun: boolean }): Promise<FeatureRunResult>;
}

/** What to do with a feature's PBX records when it is paused or the tenant is disconnected. */
export interface FeatureTeardownRequest {
  pbxRecords: 'delete' | 'retain';
  dryRun: boolean;
}

/** What a teardown did (or, with dryRun, would do). */
export interface FeatureTeardownResult {
  /** PBX records deleted (extensions, groups, contacts, pictures). */
  deleted: number;
  /** PBX records left to the PBX's admin, no longer managed. */
  handedOver: number;
  /** Statuses or Teams sessions the connector set, put back or cleared. */
  restored: number;
  failed: number;
  notes: string[];
}
