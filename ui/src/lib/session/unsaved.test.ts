import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveBeforeLeaving, saveEverythingUnsaved } from './unsaved';

describe('saving unsaved typing before the session locks', () => {
  const unregister: (() => void)[] = [];
  afterEach(() => {
    unregister.splice(0).forEach((drop) => drop());
    vi.useRealTimers();
  });

  it('resolves at once when nothing is registered', async () => {
    expect(await saveEverythingUnsaved()).toBe(true);
  });

  it('starts every save before it returns and waits for all of them', async () => {
    const started: string[] = [];
    let finishSecond: (saved: boolean) => void = () => {};
    unregister.push(saveBeforeLeaving(async () => (started.push('first'), true)));
    unregister.push(
      saveBeforeLeaving(() => {
        started.push('second');
        return new Promise<boolean>((resolve) => (finishSecond = resolve));
      }),
    );
    const saving = saveEverythingUnsaved();
    expect(started).toEqual(['first', 'second']);
    let done = false;
    void saving.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    finishSecond(true);
    expect(await saving).toBe(true);
  });

  it('reports a failed or throwing save as not saved', async () => {
    unregister.push(saveBeforeLeaving(async () => false));
    expect(await saveEverythingUnsaved()).toBe(false);
    unregister.splice(0).forEach((drop) => drop());
    unregister.push(saveBeforeLeaving(() => Promise.reject(new Error('locked'))));
    expect(await saveEverythingUnsaved()).toBe(false);
  });

  it('gives up on a hung save after the limit', async () => {
    vi.useFakeTimers();
    unregister.push(saveBeforeLeaving(() => new Promise<boolean>(() => {})));
    const saving = saveEverythingUnsaved(3_000);
    vi.advanceTimersByTime(3_000);
    expect(await saving).toBe(false);
  });

  it('forgets a save once it is unregistered', async () => {
    const saveNow = vi.fn(async () => true);
    const drop = saveBeforeLeaving(saveNow);
    drop();
    expect(await saveEverythingUnsaved()).toBe(true);
    expect(saveNow).not.toHaveBeenCalled();
  });
});
