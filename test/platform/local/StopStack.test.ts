import { describe, expect, it } from 'vitest';
import { StopStack } from '../../../shared/platform/local/StopStack';

describe('StopStack', () => {
  it('stops in reverse order, once, and goes on past a failing stop', async () => {
    const stopped: string[] = [];
    const errors: string[] = [];
    const stops = new StopStack((m) => errors.push(m));
    stops.add('storage', async () => void stopped.push('storage'));
    stops.add('sandbox', async () => {
      stopped.push('sandbox');
      throw new Error('already gone');
    });
    stops.add('host', async () => void stopped.push('host'));
    await Promise.all([stops.stopAll(), stops.stopAll()]);
    await stops.stopAll();
    expect(stopped).toEqual(['host', 'sandbox', 'storage']);
    expect(errors).toEqual(['could not stop sandbox: already gone']);
  });

  it('stops at once what is added after stopAll began', async () => {
    const stopped: string[] = [];
    const stops = new StopStack();
    stops.add('first', async () => void stopped.push('first'));
    const stopping = stops.stopAll();
    stops.add('late', async () => void stopped.push('late'));
    await stopping;
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toEqual(['first', 'late']);
  });
});
