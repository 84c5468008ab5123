import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyFilterForm, filterOf, isFiltered, patientText, resolvedFor, splitPatientLabel, staffLabel } from './filters';


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
      patientMrn: '  ',
      action: 'login',
      outcome: 'denied',
      emergencyOnly: true,
    });
    expect(filter).toMatchObject({ userId: 'u-1', patientId: null, action: 'login', outcome: 'denied', emergencyOnly: true });
  });

  it('sends the id of the patient the MRN was resolved to, never the MRN', () => {
    const form = { ...emptyFilterForm(), patientMrn: '1000009' };
    expect(filterOf(form).patientId).toBeNull();
    expect(filterOf(form, 'p-1').patientId).toBe('p-1');
  });
});

describe('isFiltered', () => {
  it('says whether anything is chosen', () => {
    expect(isFiltered(emptyFilterForm())).toBe(false);
    expect(isFiltered({ ...emptyFilterForm(), emergencyOnly: true })).toBe(true);
    expect(isFiltered({ ...emptyFilterForm(), toDay: '2026-11-25' })).toBe(true);
    expect(isFiltered({ ...emptyFilterForm(), patientMrn: '1000009' })).toBe(true);
  });
});

describe('staffLabel', () => {
  it('names the person with their username and marks inactive accounts', () => {
    expect(staffLabel({ id: '1', username: 'desk', fullName: 'Dee Desk', active: true })).toBe('Dee Desk (desk)');
    expect(staffLabel({ id: '2', username: 'old', fullName: 'Old Hand', active: false })).toBe('Old Hand (old), inactive');
  });
});

describe('resolvedFor', () => {
  const patient = { mrn: '1000009', id: 'p-1', label: 'Ortega, José (MRN 1000009)' };

  it('reuses the patient found for the same MRN', () => {
    expect(resolvedFor('1000009', patient)).toBe(patient);
    expect(resolvedFor(' 1000009 ', patient)).toBe(patient);
  });

  it('asks again for another MRN, and for none when the field is empty', () => {
    expect(resolvedFor('1000017', patient)).toBeNull();
    expect(resolvedFor('', patient)).toBeNull();
    expect(resolvedFor('1000009', null)).toBeNull();
  });
});

describe('patientText', () => {
  it('names the patient by label, falling back to the id', () => {
    expect(patientText({ patientId: 'p-1', patientLabel: 'Ortega, José (MRN 1000009)' })).toBe('Ortega, José (MRN 1000009)');
    expect(patientText({ patientId: 'p-1', patientLabel: null })).toBe('p-1');
    expect(patientText({ patientId: null, patientLabel: null })).toBe('');
  });
});

describe('splitPatientLabel', () => {
  it('keeps the MRN apart from the name', () => {
    expect(splitPatientLabel('Ortega, José (MRN 1000009)')).toEqual({ name: 'Ortega, José', mrn: '1000009' });
    expect(splitPatientLabel('Ng (MRN 1000017)')).toEqual({ name: 'Ng', mrn: '1000017' });
  });

  it('leaves a label of another shape whole', () => {
    expect(splitPatientLabel('p-1')).toEqual({ name: 'p-1', mrn: null });
    expect(splitPatientLabel('Smith (Jr.)')).toEqual({ name: 'Smith (Jr.)', mrn: null });
  });
});
