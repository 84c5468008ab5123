import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce, Latest, moveActive, searchHint } from './search';

describe('Latest', () => {
  it('keeps only the newest turn current', () => {
    const latest = new Latest();
    const first = latest.next();
    const second = latest.next();
    expect(latest.isCurrent(first)).toBe(false);
    expect(latest.isCurrent(second)).toBe(true);
    latest.cancel();
    expect(latest.isCurrent(second)).toBe(false);
  });
});

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once, with the last arguments, after a quiet spell', () => {
    const run = vi.fn();
    const debounced = debounce(run, 150);
    debounced.call('m');
    vi.advanceTimersByTime(100);
    debounced.call('mu');
    vi.advanceTimersByTime(149);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledExactlyOnceWith('mu');
  });

  it('forgets a pending call when cancelled', () => {
    const run = vi.fn();
    const debounced = debounce(run, 150);
    debounced.call('x');
    debounced.cancel();
    vi.advanceTimersByTime(500);
    expect(run).not.toHaveBeenCalled();
  });
});

describe('moveActive', () => {
  it('goes down from none to the first and stops at the last', () => {
    expect(moveActive(-1, 'ArrowDown', 3)).toBe(0);
    expect(moveActive(1, 'ArrowDown', 3)).toBe(2);
    expect(moveActive(2, 'ArrowDown', 3)).toBe(2);
  });

  it('goes up from none to the last and stops at the first', () => {
    expect(moveActive(-1, 'ArrowUp', 3)).toBe(2);
    expect(moveActive(0, 'ArrowUp', 3)).toBe(0);
  });

  it('jumps to either end, and has nothing to move to without results', () => {
    expect(moveActive(1, 'Home', 3)).toBe(0);
    expect(moveActive(0, 'End', 3)).toBe(2);
    expect(moveActive(0, 'ArrowDown', 0)).toBe(-1);
  });
});

describe('searchHint', () => {
  it('says nothing for an empty box or results', () => {
    expect(searchHint('empty', '', 0)).toBeNull();
    expect(searchHint('name', 'mull', 3)).toBeNull();
  });

  it('says what to type next when the query cannot be read yet', () => {
    expect(searchHint('incomplete', '0664', 0)).toContain('at least 5 digits');
    expect(searchHint('incomplete', 'a', 0)).toContain('more of a name');
  });

  it('says when nothing matched', () => {
    expect(searchHint('date_of_birth', '07/03/1984', 0)).toBe('No patient found.');
  });
});
