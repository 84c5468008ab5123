import { describe, expect, it } from 'vitest';
import { dateOrderWords, typedDay } from './typedDate';

describe('typed dates', () => {
  it('are read by the rules Rust reads dates with, in the practice order', () => {
    expect(typedDay('25/11/2026', 'dmy')).toBe('2026-11-25');
    expect(typedDay('11/25/2026', 'mdy')).toBe('2026-11-25');
    expect(typedDay('03/07/2026', 'dmy')).toBe('2026-07-03');
    expect(typedDay('03/07/2026', 'mdy')).toBe('2026-03-07');
    expect(typedDay(' 2026-11-25 ', 'mdy')).toBe('2026-11-25');
    expect(typedDay('2026-1-5', 'dmy')).toBe('2026-01-05');
    expect(typedDay('7.3.2026', 'mdy')).toBe('2026-03-07');
    expect(typedDay('31/02/2026', 'dmy')).toBeNull();
    expect(typedDay('25/11/26', 'dmy')).toBeNull();
    expect(typedDay('25-11-2026', 'dmy')).toBeNull();
    expect(typedDay('13/25/2026', 'mdy')).toBeNull();
    expect(typedDay('yesterday', 'dmy')).toBeNull();
    expect(typedDay('', 'dmy')).toBeNull();
  });

  it('name the practice order in words', () => {
    expect(dateOrderWords('dmy')).toBe('day/month/year');
    expect(dateOrderWords('mdy')).toBe('month/day/year');
  });
});
