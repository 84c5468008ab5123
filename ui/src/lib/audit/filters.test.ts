import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyFilterForm, filterOf, isFiltered, staffLabel } from './filters';


describe('filterOf', () => {
  beforeEach(() => {
    vi.stubEnv('TZ', 'Europe/Berlin');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('sends nothing but nulls and false for an empty form', () => {
    expect(filterOf(emptyFilterForm())).toEqual({
      from: null,
      to: null,
      userId: null,
      patientId: null,
      action: null,
      outcome: null,
      emergencyOnly: false,
    });
  });

  it('sends a period that includes the whole last day, in local time', () => {
    const filter = filterOf({ ...emptyFilterForm(), fromDay: '2026-11-01', toDay: '2026-11-25' });
    expect(filter.from).toBe('2026-10-31T23:00:00.000Z');
    expect(filter.to).toBe('2026-11-25T23:00:00.000Z');
  });

  it('trims ids and keeps the chosen codes', () => {
    const filter = filterOf({
      ...emptyFilterForm(),
      userId: ' u-1 ',
      patientId: '  ',
      action: 'login',
      outcome: 'denied',
      emergencyOnly: true,
    });
    expect(filter).toMatchObject({ userId: 'u-1', patientId: null, action: 'login', outcome: 'denied', emergencyOnly: true });
  });
});

describe('isFiltered', () => {
  it('says whether anything is chosen', () => {
    expect(isFiltered(emptyFilterForm())).toBe(false);
    expect(isFiltered({ ...emptyFilterForm(), emergencyOnly: true })).toBe(true);
    expect(isFiltered({ ...emptyFilterForm(), toDay: '2026-11-25' })).toBe(true);
  });
});

describe('staffLabel', () => {
  it('names the person with their username and marks inactive accounts', () => {
    expect(staffLabel({ id: '1', username: 'desk', fullName: 'Dee Desk', active: true })).toBe('Dee Desk (desk)');
    expect(staffLabel({ id: '2', username: 'old', fullName: 'Old Hand', active: false })).toBe('Old Hand (old), inactive');
  });
});
