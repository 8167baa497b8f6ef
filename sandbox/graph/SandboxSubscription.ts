/** A subscription as the sandbox keeps it (Graph's fields the connector uses, plus the sandbox's own). */
export interface SandboxSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  /** epoch ms */
  expiresAt: number;
  applicationId: string;
  creatorId: string;
  /** For a contacts resource: the mailbox (user id) and folder id it was resolved to at creation. */
  contacts?: ContactsTarget | undefined;
  /** For an events resource (`users/{id}/events`): the mailbox (user id) it was resolved to at creation. */
  events?: EventsTarget | undefined;
}

/** The folder a contacts subscription watches (`users/{id}/contacts` is the default folder). */
export interface ContactsTarget {
  mailboxId: string;
  folderId: string;
}

/** The calendar an events subscription watches: every event of the mailbox. */
export interface EventsTarget {
  mailboxId: string;
}

export function copySubscription(s: SandboxSubscription): SandboxSubscription {
  return { ...s };
}

/** The directory collections the sandbox's subscriptions can watch. */
export type DirectoryCollection = 'users' | 'groups';

/** Whether a subscription's resource covers an object: its whole collection (`users`) or that one (`users/{id}`). */
export function coversObject(s: SandboxSubscription, collection: DirectoryCollection, id: string): boolean {
  if (s.contacts || s.events) return false;
  const path = s.resource.replace(/^\//, '');
  if (path.toLowerCase() === collection) return true;
  const one = /^(users|groups)\/([^/]+)$/i.exec(path);
  return one !== null && one[1]!.toLowerCase() === collection && one[2]!.toLowerCase() === id.toLowerCase();
}

/** Graph's JSON for a subscription. */
export function subscriptionBody(s: SandboxSubscription, baseUrl: string): Record<string, unknown> {
  return {
    '@odata.context': `${baseUrl}/v1.0/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: new Date(s.expiresAt).toISOString(),
    creatorId: s.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
    notificationContentType: null,
  };
}
