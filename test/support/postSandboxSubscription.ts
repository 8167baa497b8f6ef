/** What a sandbox subscription request may vary. */
export interface SandboxSubscriptionRequest {
  resource: string;
  /** Where notifications go (a receiver's URL). */
  notificationUrl: string;
  lifecycleNotificationUrl?: string | undefined;
  changeType?: string | undefined;
  /** Lifetime from `now` (default 60 minutes). */
  minutes?: number | undefined;
  now?: number | undefined;
  clientState: string;
}

/** `POST /v1.0/subscriptions` on the sandbox Graph, as Graph's own clients send it; the status and the parsed answer. */
export async function postSandboxSubscription(
  graph: { baseUrl: string; token: string },
  request: SandboxSubscriptionRequest,
): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } }> {
  const response = await fetch(`${graph.baseUrl}/v1.0/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${graph.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType: request.changeType ?? 'created,updated,deleted',
      notificationUrl: request.notificationUrl,
      ...(request.lifecycleNotificationUrl ? { lifecycleNotificationUrl: request.lifecycleNotificationUrl } : {}),
      resource: request.resource,
      expirationDateTime: new Date((request.now ?? Date.now()) + (request.minutes ?? 60) * 60_000).toISOString(),
      clientState: request.clientState,
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
  };
}
