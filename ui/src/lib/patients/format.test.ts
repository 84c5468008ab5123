import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyPatientForm } from './form';
import {
  addressText,
  ageText,
  clockTime,
  datePlaceholder,
  duplicateSignText,
  fieldLabel,
  fieldValueText,
  formatDate,
  formatInstant,
  formatInstantDate,
  patientName,
  statusLabel,
} from './format';

describe('patient names', () => {
  it('reads family, given, with the preferred name in brackets', () => {
    expect(patientName({ familyName: 'Müller', givenNames: 'Anna', preferredName: 'Annie' })).toBe('Müller, Anna (Annie)');
    expect(patientName({ familyName: 'Müller', givenNames: 'Anna', preferredName: '' })).toBe('Müller, Anna');
    expect(patientName({ familyName: 'Müller', givenNames: '', preferredName: '' })).toBe('Müller');
    expect(patientName({ familyName: 'Müller', givenNames: 'Anna', preferredName: 'Anna' })).toBe('Müller, Anna');
  });
});

describe('dates', () => {
  beforeEach(() => vi.stubEnv('TZ', 'Europe/Vienna'));
  afterEach(() => vi.unstubAllEnvs());

  it('shows dates in the practice order', () => {
    expect(formatDate('1984-03-07', 'dmy')).toBe('07/03/1984');
    expect(formatDate('1984-03-07', 'mdy')).toBe('03/07/1984');
    expect(formatDate('', 'dmy')).toBe('');
    expect(formatDate('not a date', 'dmy')).toBe('not a date');
    expect(datePlaceholder('dmy')).toBe('07/03/1984');
    expect(datePlaceholder('mdy')).toBe('03/07/1984');
  });

  it('shows stored instants on the local clock', () => {
    expect(formatInstantDate('2026-11-24T23:30:00Z', 'dmy')).toBe('25/11/2026');
    expect(clockTime('2026-11-25T08:05:00Z')).toBe('09:05');
    expect(formatInstant('2026-11-25T13:42:00Z', 'mdy')).toBe('11/25/2026 14:42');
    expect(formatInstantDate(null, 'dmy')).toBe('');
  });
});

describe('words for codes', () => {
  it('says ages plainly', () => {
    expect(ageText(42)).toBe('42 years');
    expect(ageText(1)).toBe('1 year');
    expect(ageText(0)).toBe('under 1 year');
    expect(ageText(null)).toBe('');
  });

  it('names statuses, duplicate signs, fields and changes', () => {
    expect(statusLabel('deceased')).toBe('Deceased');
    expect(statusLabel('active')).toBe('Active');
    expect(duplicateSignText('names_transposed')).toBe('Given and family names swapped');
    expect(duplicateSignText('new_sign')).toBe('new sign');
    expect(fieldLabel('front_desk_note')).toBe('Front desk note');
  });
});

describe('field values for History', () => {
  it('writes each field of a version as a line', () => {
    const form = emptyPatientForm();
    form.familyName = 'Müller';
    form.dateOfBirth = '1984-03-07';
    form.phones = [
      { kind: 'mobile', number: '0664 1234567' },
      { kind: 'work', number: '01 234 5678' },
    ];
    form.address = { line1: 'Hauptstraße 1', line2: '', city: 'Wien', region: '', postalCode: '1010', country: 'Austria' };
    form.emergencyContact = { name: 'Karl Müller', relationship: 'husband', phone: '0664 7654321' };
    form.insurance = { payer: 'ÖGK', memberId: '1234 070384' };
    expect(fieldValueText(form, 'family_name', 'dmy')).toBe('Müller');
    expect(fieldValueText(form, 'date_of_birth', 'dmy')).toBe('07/03/1984');
    expect(fieldValueText(form, 'phones', 'dmy')).toBe('0664 1234567 (mobile), 01 234 5678 (work)');
    expect(addressText(form)).toBe('Hauptstraße 1, 1010 Wien, Austria');
    expect(fieldValueText(form, 'emergency_contact', 'dmy')).toBe('Karl Müller (husband), 0664 7654321');
    expect(fieldValueText(form, 'insurance', 'dmy')).toBe('ÖGK, member number 1234 070384');
    expect(fieldValueText(form, 'sex', 'dmy')).toBe('Unknown');
    expect(fieldValueText(form, 'unknown_field', 'dmy')).toBe('');
  });
});
