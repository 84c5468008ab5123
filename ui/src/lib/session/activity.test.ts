import { describe, expect, it, vi } from 'vitest';
import { activitySent, onActivitySent } from './activity';

describe('activity sent', () => {
  it('reaches every listener until it stops', () => {
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = onActivitySent(first);
    const stopSecond = onActivitySent(second);
    activitySent();
    stopFirst();
    activitySent();
    stopSecond();
    activitySent();
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('lets a listener stop itself while being called', () => {
    const calls: string[] = [];
    const stop = onActivitySent(() => {
      calls.push('once');
      stop();
    });
    const stopOther = onActivitySent(() => calls.push('other'));
    activitySent();
    activitySent();
    stopOther();
    expect(calls).toEqual(['once', 'other', 'other']);
  });
});
