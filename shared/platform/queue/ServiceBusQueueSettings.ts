import type { TokenCredential } from '@azure/identity';

/**
 * Where the sync queue lives: a connection string (`ServiceBusConnection`, local or legacy) or, in Azure,
 * an identity-based connection (`ServiceBusConnection__fullyQualifiedNamespace` + managed identity).
 */
export interface ServiceBusQueueSettings {
  connectionString?: string | undefined;
  /** e.g. `contoso-sync.servicebus.windows.net`. */
  fullyQualifiedNamespace?: string | undefined;
  /** Used with fullyQualifiedNamespace; DefaultAzureCredential when omitted. */
  credential?: TokenCredential | undefined;
  queueName: string;
}
