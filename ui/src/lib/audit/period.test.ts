import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localDay, parseDay, shiftYears, startOfDay, startOfNextDay, utcOffsetMinutes } from './period';

// Node reads TZ again whenever it changes, so each test can pick the zone it needs.
function inZone(zone: string) {
  vi.stubEnv('TZ', zone);
}

describe('period', () => {
  beforeEach(() => inZone('UTC'));
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads only real calendar days', () => {
    expect(parseDay('2026-11-25')).toEqual({ year: 2026, month: 11, day: 25 });
    expect(parseDay(' 2028-02-29 ')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2026-13-01')).toBeNull();
    expect(parseDay('25/11/2026')).toBeNull();
    expect(parseDay('')).toBeNull();
  });

  it('gives null for no day, so an empty date input does not filter', () => {
    expect(startOfDay('')).toBeNull();
    expect(startOfNextDay('not a day')).toBeNull();
  });

  it('turns a day into the instant of its local midnight', () => {
    inZone('Europe/Berlin');
    expect(startOfDay('2026-11-25')).toBe('2026-11-24T23:00:00.000Z');
    expect(startOfDay('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    inZone('America/New_York');
    expect(startOfDay('2026-11-25')).toBe('2026-11-25T05:00:00.000Z');
  });

  it('ends a period at the next local midnight, also across a month and a year', () => {
    inZone('Europe/Berlin');
    expect(startOfNextDay('2026-11-25')).toBe('2026-11-25T23:00:00.000Z');
    expect(startOfNextDay('2026-11-30')).toBe('2026-11-30T23:00:00.000Z');
    expect(startOfNextDay('2026-12-31')).toBe('2026-12-31T23:00:00.000Z');
  });

  it('makes the days of a daylight-saving change 23 and 25 hours long', () => {
    inZone('Europe/Berlin');
    // Clocks go forward on 29 March 2026 and back on 25 October 2026.
    const hours = (day: string) =>
      (Date.parse(startOfNextDay(day) ?? '') - Date.parse(startOfDay(day) ?? '')) / 3_600_000;
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    expect(hours('2026-03-28')).toBe(24);
    expect(startOfNextDay('2026-03-29')).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfNextDay('2026-10-25')).toBe('2026-10-25T23:00:00.000Z');
  });

  it('starts a day whose midnight does not exist at its first local time', () => {
    // São Paulo's clocks went from 00:00 to 01:00 on 4 November 2018.
    inZone('America/Sao_Paulo');
    expect(startOfDay('2018-11-04')).toBe('2018-11-04T03:00:00.000Z');
    expect(startOfNextDay('2018-11-03')).toBe('2018-11-04T03:00:00.000Z');
  });

  it('writes the local day of an instant as a date input holds it', () => {
    inZone('Europe/Berlin');
    expect(localDay(new Date('2026-11-24T23:30:00Z'))).toBe('2026-11-25');
    expect(localDay(new Date('0999-01-02T12:00:00Z'))).toBe('0999-01-02');
  });

  it('moves a day by whole years', () => {
    expect(shiftYears('2026-11-25', -1)).toBe('2025-11-25');
    expect(shiftYears('2028-02-29', -1)).toBe('2027-03-01');
  });

  it('gives the offset from UTC with east positive', () => {
    inZone('Europe/Berlin');
    expect(utcOffsetMinutes(new Date('2026-01-15T12:00:00Z'))).toBe(60);
    expect(utcOffsetMinutes(new Date('2026-07-15T12:00:00Z'))).toBe(120);
    inZone('America/New_York');
    expect(utcOffsetMinutes(new Date('2026-01-15T12:00:00Z'))).toBe(-300);
    inZone('UTC');
    expect(Object.is(utcOffsetMinutes(new Date('2026-01-15T12:00:00Z')), 0)).toBe(true);
  });
});
