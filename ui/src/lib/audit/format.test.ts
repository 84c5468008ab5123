import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { detailRows, formatTime, formatTimeParts, formatWhen, humaniseCode, rolesText } from './format';


describe('format', () => {
  beforeEach(() => {
    vi.stubEnv('TZ', 'Europe/Berlin');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('puts codes into words', () => {
    expect(humaniseCode('audit_trail')).toBe('Audit trail');
    expect(humaniseCode('first_bad_entry')).toBe('First bad entry');
    expect(humaniseCode(null)).toBe('');
  });

  it('shows stored UTC times on the local clock', () => {
    expect(formatTime('2026-11-25T09:42:05.123Z', 'en-GB')).toBe('25 Nov 2026, 10:42:05');
    expect(formatTime('not a time', 'en-GB')).toBe('not a time');
  });

  it('splits an instant into its date and its time of day, for the table', () => {
    expect(formatTimeParts('2026-11-25T09:42:05.123Z', 'en-GB')).toEqual({ date: '25 Nov 2026', time: '10:42:05' });
    expect(formatTimeParts('not a time', 'en-GB')).toEqual({ date: 'not a time', time: '' });
  });

  it('shows only the time of day for today', () => {
    const now = new Date('2026-11-25T15:00:00Z');
    expect(formatWhen('2026-11-25T09:42:05Z', now, 'en-GB')).toBe('10:42');
    expect(formatWhen('2026-11-24T09:42:05Z', now, 'en-GB')).toBe('24 Nov 2026, 10:42');
  });

  it('names roles as the screens do', () => {
    expect(rolesText('owner,front_desk')).toBe('Owner, Front desk');
    expect(rolesText('')).toBe('');
    expect(rolesText('auditor, locum')).toBe('Auditor, Locum');
  });
});

describe('detailRows', () => {
  it('lists each key in words with a readable value', () => {
    expect(detailRows('{"filters":["user","from"],"matching":1234,"first_try":true,"scope":"full","seq":null}')).toEqual([
      { key: 'Filters', value: 'user, from' },
      { key: 'Matching', value: '1,234' },
      { key: 'First try', value: 'Yes' },
      { key: 'Scope', value: 'full' },
      { key: 'Seq', value: '—' },
    ]);
  });

  it('shows nested values and empty lists plainly', () => {
    expect(detailRows('{"fields":[],"inner":{"a":1}}')).toEqual([
      { key: 'Fields', value: 'none' },
      { key: 'Inner', value: '{"a":1}' },
    ]);
  });

  it('gives nothing for no details and keeps anything else as it is', () => {
    expect(detailRows('')).toEqual([]);
    expect(detailRows('{}')).toEqual([]);
    expect(detailRows('not json')).toEqual([{ key: 'Details', value: 'not json' }]);
    expect(detailRows('[1,2]')).toEqual([{ key: 'Details', value: '1, 2' }]);
  });
});
