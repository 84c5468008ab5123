import { describe, expect, it, vi } from 'vitest';
import { whileMounted } from './listen';

describe('whileMounted', () => {
  it('stops the listener when the component goes after it was set up', async () => {
    const stopListening = vi.fn();
    const cleanup = whileMounted(() => Promise.resolve(stopListening));
    await Promise.resolve();
    await Promise.resolve();
    expect(stopListening).not.toHaveBeenCalled();
    cleanup();
    expect(stopListening).toHaveBeenCalledTimes(1);
  });

  it('stops the listener as soon as it is set up when the component went first', async () => {
    const stopListening = vi.fn();
    let setUp: (stop: () => void) => void = () => undefined;
    const cleanup = whileMounted(() => new Promise((resolve) => (setUp = resolve)));
    cleanup();
    setUp(stopListening);
    await Promise.resolve();
    await Promise.resolve();
    expect(stopListening).toHaveBeenCalledTimes(1);
  });

  it('takes a listener that could not be set up quietly', async () => {
    const cleanup = whileMounted(() => Promise.reject(new Error('no bridge')));
    await Promise.resolve();
    expect(cleanup).not.toThrow();
  });
});
