import { type DirectoryReader } from '../graph/DirectoryReader';
import { type SubscriptionClient } from '../graph/SubscriptionClient';
import { type NotificationIntake } from '../notifications/NotificationIntake';
import { type DeltaDemand } from '../notifications/DeltaDemand';
import { type PbxClient } from '../pbx/ports/PbxClient';
import { type PbxProfile } from '../pbx/ports/PbxProfile';
import { type PbxGroups } from '../pbx/ports/PbxGroups';
import { type JobQueue } from '../platform/queue/JobQueue';
import { type SecretStore } from '../platform/secrets/SecretStore';
import { type CertificateStore } from '../platform/certificates/CertificateStore';
import { type SharedAppSettings } from '../credentials/SharedAppSettings';
import { type GraphEndpointsFor } from '../graph/GraphEndpoints';
import { type TableStores } from '../platform/tables/createTableStores';
import { type SubscribedResource } from '../subscriptions/SubscriptionStore';
import { type TenantRecord } from './TenantStore';
import { type FeatureRegistry } from '../features/FeatureRegistry';
import { type Lane } from '../features/FeatureManifest';

/** The Graph and PBX adapters for one tenant. */
import { type MailboxReader } from '../graph/MailboxReader';
import { type PresenceReader } from '../graph/PresenceReader';
import { type TeamsPresenceWriter } from '../graph/TeamsPresenceWriter';
import { type PbxEventTarget } from '../pbx/ports/PbxEventTarget';
import { type PbxPresence } from '../pbx/ports/PbxPresence';
import { type KeyWrapper } from '../platform/keys/KeyWrapper';
import { type PbxAvatars } from '../pbx/ports/PbxAvatars';
import { type PbxCompanyContacts } from '../pbx/ports/PbxCompanyContacts';
import { type PbxPersonalContacts } from '../pbx/ports/PbxPersonalContacts';
import { type PbxPortalAccess } from '../pbx/ports/PbxPortalAccess';

export interface TenantConnectors {
  directoryReader: DirectoryReader;
  subscriptions: SubscriptionClient;
  pbx: PbxClient;
  /** The PBX's extension groups, when the tenant's PBX adapter implements them. */
  pbxGroups?: PbxGroups | undefined;
  /** The PBX product's rules (limits, numbering, what an admin token may do). */
  pbxProfile: PbxProfile;
  /** Outlook mailboxes and profile photos (same Graph client and request count as the directory reader). */
  mailboxReader: MailboxReader;
  pbxCompanyContacts?: PbxCompanyContacts | undefined;
  /** Present only when the adapter can act as users (PortSIP with kept portal passwords). */
  pbxPersonalContacts?: PbxPersonalContacts | undefined;
  pbxAvatars?: PbxAvatars | undefined;
  pbxPortalAccess?: PbxPortalAccess | undefined;
  /** Teams presence (same Graph client and request count as the directory reader). */
  presenceReader: PresenceReader;
  /** The PBX's DND and status, when the adapter implements them. */
  pbxPresence?: PbxPresence | undefined;
  /** Where the PBX sends its extension events, when the adapter can set it. */
  pbxEventTarget?: PbxEventTarget | undefined;
  /** The app's own Teams presence sessions (PBX calls shown in Teams). */
  teamsPresence: TeamsPresenceWriter;
  /** The application (client) id the connector signs in to Graph as (Graph's session id for those sessions). */
  graphApplicationId: string;
}

/** Where Graph delivers, how repeated lifecycle events collapse and how long subscriptions live (from the app settings). */
export interface NotificationSettings {
  /** Unset when PUBLIC_BASE_URL is: no subscriptions, changes arrive with the scheduled reconcile. */
  endpoints?: { notificationUrl: string; lifecycleNotificationUrl: string } | undefined;
  /** PUBLIC_BASE_URL without a trailing slash (the PBX's event webhook is registered under it); unset likewise. */
  publicBaseUrl?: string | undefined;
  /** Repeated lifecycle events of one subscription within this window become one subscription job. */
  debounceMs: number;
  /** Lifetimes set by app settings (SUBSCRIPTION_LIFETIME_MINUTES_<FEATURE>), by feature; else the feature's maximum. */
  lifetimeMinutes: Partial<Record<SubscribedResource, number>>;
}

/**
 * The stores that hold a tenant's sync state: what feature runs read and write (featureContext), and what a
 * tenant's deletion clears.
 */
export type TenantStateStoreName =
  | 'deltaStates'
  | 'links'
  | 'numberQuarantine'
  | 'groupLinks'
  | 'groupMembers'
  | 'linkEventInbox'
  | 'contactLinks'
  | 'contactSources'
  | 'photoStates'
  | 'presenceStates'
  | 'presenceHistory'
  | 'pollCycles';

/** Everything a function needs, built once per process (composition root: createServices). */
export interface Services extends TableStores {
  secrets: SecretStore;
  /** Certificates whose key never leaves the store except to sign in (Key Vault, or a local file). */
  certificates: CertificateStore;
  /** The key that wraps each tenant's data key for the kept portal passwords (Key Vault, or a local file). */
  portalPasswordKey?: KeyWrapper | undefined;
  /** The operator's multi-tenant app (auth kind `sharedApp`), when configured. */
  sharedApp?: SharedAppSettings | undefined;
  /** Where Graph and Entra ID are for a cloud (tests: the local stand-ins). */
  graphEndpoints: GraphEndpointsFor;
  queue: JobQueue;
  /** The features this process runs (router, scheduler, subscriptions and webhooks loop over them). */
  features: FeatureRegistry;
  /** The tenant's adapters for a lane (default `directory`): each lane paces the PBX with its own share. */
  connectorsFor(tenant: TenantRecord, lane?: Lane): Promise<TenantConnectors>;
  syncConcurrency: number;
  notifications: NotificationSettings;
  /**
   * Delta jobs on demand (at most one running and one pending per tenant and feature), shared by the webhooks,
   * subscription maintenance (catch-up after a create), link events and the worker (which ends the pending state).
   */
  deltaRequests: DeltaDemand;
  /** The webhooks' per-process state: subscription cache and counters. */
  webhook: NotificationIntake;
}
