import { afterEach, describe, expect, it } from 'vitest';
import { LocalHttpHost } from '../../../shared/platform/local/LocalHttpHost';
import { explainListenError } from '../../../shared/platform/local/portInUse';

let hosts: LocalHttpHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  hosts = [];
});

describe('explainListenError', () => {
  it('turns EADDRINUSE from a real listen into one line naming the port and its variable', async () => {
    const first = new LocalHttpHost([]);
    await first.listen(0);
    hosts.push(first);
    const second = new LocalHttpHost([]);
    const failure = await second
      .listen(first.port)
      .catch(explainListenError(first.port, 'PORT'))
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      );
    expect(failure?.message).toBe(`port ${first.port} is in use (PORT); stop what uses it or set PORT=<free port>`);
    expect((failure?.cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });

  it('passes other errors through', () => {
    const other = new Error('boom');
    expect(() => explainListenError(7071, 'PORT')(other)).toThrow(other);
  });
});
