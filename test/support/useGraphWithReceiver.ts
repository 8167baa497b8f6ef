import { afterEach } from 'vitest';
import { GraphSandbox, type GraphSandboxOptions } from '../../sandbox/graph';
import { WebhookReceiver } from './webhookReceiver';

/**
 * A sandbox Graph and a webhook receiver for its notifications, started by each test that needs them (`start`)
 * and stopped after it (afterEach), so every test gets its own subscriptions and deliveries.
 */
export function useGraphWithReceiver(): {
  start(options?: GraphSandboxOptions): Promise<{ graph: GraphSandbox; receiver: WebhookReceiver }>;
  readonly graph: GraphSandbox;
  readonly receiver: WebhookReceiver;
} {
  let graph: GraphSandbox | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await graph?.stop();
    await receiver?.stop();
    graph = undefined;
    receiver = undefined;
  });
  return {
    async start(options = {}) {
      graph = await GraphSandbox.start(options);
      receiver = await WebhookReceiver.start();
      return { graph, receiver };
    },
    get graph() {
      if (!graph) throw new Error('the test starts the sandbox Graph first');
      return graph;
    },
    get receiver() {
      if (!receiver) throw new Error('the test starts the receiver first');
      return receiver;
    },
  };
}
