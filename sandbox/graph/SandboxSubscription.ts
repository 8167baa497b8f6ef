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
}

export function copySubscription(s: SandboxSubscription): SandboxSubscription {
  return { ...s };
}

/** The user a subscription's resource covers: every user (`users`) or one (`users/{id}`). */
export function coversUser(s: SandboxSubscription, userId: string): boolean {
  const path = s.resource.replace(/^\//, '');
  if (path.toLowerCase() === 'users') return true;
  const one = /^users\/([^/]+)$/i.exec(path);
  return one !== null && one[1]!.toLowerCase() === userId.toLowerCase();
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
