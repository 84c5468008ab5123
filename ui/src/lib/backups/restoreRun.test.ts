import { describe, expect, it, vi } from 'vitest';
import type { BackupProgressView } from '../../generated/bindings';
import { RestoreRun } from './restoreRun.svelte';

/** A stand-in for Rust: `send` delivers a progress event; `cancel` is a mock. */
function fakeRust(cancel: () => Promise<void> = () => Promise.resolve()) {
  let handler: ((progress: BackupProgressView) => void) | null = null;
  const bridge = {
    onProgress: (next: (progress: BackupProgressView) => void) => {
      handler = next;
      return Promise.resolve(() => {
        handler = null;
      });
    },
    cancel: vi.fn(cancel),
  };
  const send = (progress: BackupProgressView) => handler?.(progress);
  return { bridge, send, listening: () => handler !== null };
}

function event(step: BackupProgressView['step'], done: number, total: number, elapsedMs = 0): BackupProgressView {
  return { step, done, total, elapsedMs };
}

/** A restore that ends when the test says. */
function pending() {
  let finish: (value: string) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const promise = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
}

async function settle() {
  for (let i = 0; i < 5; i += 1) {
    await Promise.resolve();
  }
}

describe('RestoreRun', () => {
  it('counts progress only while the restore is under way', async () => {
    const rust = fakeRust();
    const run = new RestoreRun(rust.bridge);
    const stop = run.listen();
    await settle();
    rust.send(event('reading', 10, 100));
    expect(run.progress).toBeNull();

    const restore = pending();
    const done = run.follow(() => restore.promise);
    rust.send(event('reading', 40, 100, 500));
    expect(run.progress).toMatchObject({ step: 'reading', done: 40, total: 100 });

    restore.finish('restored');
    await expect(done).resolves.toBe('restored');
    rust.send(event('checking', 100, 100, 900));
    expect(run.progress).toMatchObject({ step: 'reading', done: 40 });

    stop();
    expect(rust.listening()).toBe(false);
  });

  it('starts each restore from no progress', async () => {
    const rust = fakeRust();
    const run = new RestoreRun(rust.bridge);
    run.listen();
    await settle();
    const first = pending();
    const firstDone = run.follow(() => first.promise);
    rust.send(event('checking', 100, 100));
    first.fail({ code: 'cancelled', message: 'Cancelled.' });
    await expect(firstDone).rejects.toMatchObject({ code: 'cancelled' });

    void run.follow(() => pending().promise);
    expect(run.progress).toBeNull();
  });

  it('offers Cancel until the copy is checked', () => {
    const run = new RestoreRun(fakeRust().bridge);
    expect(run.cancellable).toBe(true);
    run.progress = { step: 'reading', done: 100, total: 100, elapsedMs: 0, stepStartedMs: 0 };
    expect(run.cancellable).toBe(true);
    run.progress = { step: 'checking', done: 0, total: 100, elapsedMs: 0, stepStartedMs: 0 };
    expect(run.cancellable).toBe(true);
    run.progress = { step: 'checking', done: 100, total: 100, elapsedMs: 0, stepStartedMs: 0 };
    expect(run.cancellable).toBe(false);
  });

  it('asks Rust to stop once, and only while the restore is under way', async () => {
    const rust = fakeRust();
    const run = new RestoreRun(rust.bridge);
    await expect(run.cancel()).resolves.toBeNull();
    expect(rust.bridge.cancel).not.toHaveBeenCalled();

    const restore = pending();
    const done = run.follow(() => restore.promise);
    const first = run.cancel();
    expect(run.cancelling).toBe(true);
    await run.cancel();
    await expect(first).resolves.toBeNull();
    expect(rust.bridge.cancel).toHaveBeenCalledTimes(1);

    restore.fail({ code: 'cancelled', message: 'Cancelled.' });
    await expect(done).rejects.toBeTruthy();
    expect(run.cancelling).toBe(false);
  });

  it('gives the message when Rust could not stop, and lets Cancel be pressed again', async () => {
    const rust = fakeRust(() => Promise.reject({ code: 'internal', message: 'It could not stop.', field: null }));
    const run = new RestoreRun(rust.bridge);
    void run.follow(() => pending().promise);
    await expect(run.cancel()).resolves.toBe('It could not stop.');
    expect(run.cancelling).toBe(false);
  });

  it('stops a restore under way when the screen is left', async () => {
    const rust = fakeRust();
    const run = new RestoreRun(rust.bridge);
    void run.follow(() => pending().promise);
    expect(run.left).toBe(false);
    run.leave();
    expect(run.left).toBe(true);
    expect(rust.bridge.cancel).toHaveBeenCalledTimes(1);
  });

  it('asks nothing of Rust when the screen is left with no restore under way', () => {
    const rust = fakeRust(() => Promise.reject(new Error('nothing to cancel')));
    const run = new RestoreRun(rust.bridge);
    run.leave();
    expect(run.left).toBe(true);
    expect(rust.bridge.cancel).not.toHaveBeenCalled();
  });
});
