import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIdleTimer, TOUCH_INTERVAL_MS } from './idle';

function recorder() {
  const events: string[] = [];
  return {
    events,
    callbacks: {
      touch: () => events.push('touch'),
      warn: (seconds: number) => events.push(`warn ${seconds}`),
      clear: () => events.push('clear'),
      expire: () => events.push('expire'),
    },
  };
}

describe('the idle timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('warns 30 seconds before the timeout, counts down, then expires once', () => {
    const { events, callbacks } = recorder();
    startIdleTimer(60_000, callbacks);
    vi.advanceTimersByTime(29_000);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1_250);
    expect(events[events.length - 1]).toBe('warn 30');
    vi.advanceTimersByTime(20_000);
    expect(events[events.length - 1]).toBe('warn 10');
    vi.advanceTimersByTime(11_000);
    expect(events.filter((event) => event === 'expire')).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(events.filter((event) => event === 'expire')).toHaveLength(1);
  });

  it('sends activity at most every ten seconds, and at once when it dismisses the warning', () => {
    const { events, callbacks } = recorder();
    const timer = startIdleTimer(60_000, callbacks);
    timer.activity();
    expect(events).toEqual([]);
    vi.advanceTimersByTime(TOUCH_INTERVAL_MS);
    timer.activity();
    timer.activity();
    expect(events).toEqual(['touch']);
    vi.advanceTimersByTime(45_000);
    expect(events[events.length - 1]).toMatch(/^warn /);
    timer.activity();
    expect(events.slice(-2)).toEqual(['clear', 'touch']);
    vi.advanceTimersByTime(40_000);
    expect(events).not.toContain('expire');
    timer.stop();
    vi.advanceTimersByTime(120_000);
    expect(events).not.toContain('expire');
  });
});
