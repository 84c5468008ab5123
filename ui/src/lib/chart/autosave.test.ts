import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver, type AutosaveState } from './autosave';

describe('Autosaver', () => {
  let states: AutosaveState[];
  let saved: string[];
  let answer: () => Promise<string>;

  function saver(delayMs = 1000) {
    return new Autosaver<string>({
      delayMs,
      save: async (value) => {
        saved.push(value);
        return answer();
      },
      onstate: (state) => states.push(state),
      describe: () => ({ message: 'Not saved.', code: 'internal' }),
    });
  }

  beforeEach(() => {
    vi.useFakeTimers();
    states = [];
    saved = [];
    answer = async () => '2026-11-25T09:41:00Z';
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves once, a moment after typing stops, with the latest text', async () => {
    const autosave = saver();
    autosave.changed('C');
    await vi.advanceTimersByTimeAsync(500);
    autosave.changed('Co');
    await vi.advanceTimersByTimeAsync(500);
    autosave.changed('Cough');
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(999);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual(['Cough']);
    expect(states[states.length - 1]).toEqual({ kind: 'saved', at: '2026-11-25T09:41:00Z' });
    expect(autosave.pending).toBe(false);
  });

  it('saves at once on flush, and not again when nothing changed', async () => {
    const autosave = saver();
    autosave.changed('Cough');
    expect(await autosave.flush()).toBe(true);
    expect(await autosave.flush()).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual(['Cough']);
  });

  it('never saves twice at the same time, and saves what was typed during a save last', async () => {
    let release: (at: string) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    const autosave = saver();
    autosave.changed('Cough');
    const first = autosave.flush();
    autosave.changed('Cough, fever');
    const second = autosave.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual(['Cough']);
    release('2026-11-25T09:41:00Z');
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual(['Cough', 'Cough, fever']);
    release('2026-11-25T09:42:00Z');
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(states[states.length - 1]).toEqual({ kind: 'saved', at: '2026-11-25T09:42:00Z' });
  });

  it('says when a save failed, and tries again on the next flush', async () => {
    answer = () => Promise.reject(new Error('locked'));
    const autosave = saver();
    autosave.changed('Cough');
    expect(await autosave.flush()).toBe(false);
    expect(states[states.length - 1]).toEqual({ kind: 'failed', message: 'Not saved.', code: 'internal' });
    expect(autosave.pending).toBe(true);
    answer = async () => '2026-11-25T09:43:00Z';
    expect(await autosave.flush()).toBe(true);
    expect(saved).toEqual(['Cough', 'Cough']);
  });

  it('saves nothing once stopped', async () => {
    const autosave = saver();
    autosave.changed('Cough');
    autosave.stop();
    autosave.changed('Cough, fever');
    await vi.advanceTimersByTimeAsync(5000);
    expect(await autosave.flush()).toBe(true);
    expect(saved).toEqual([]);
  });
});
