import { describe, expect, it } from 'vitest';
import type { PatientFormView } from '../../generated/bindings';
import { sexLabel, statusLabel } from '../patients/format';
import { displayName, fieldLabel, formatDay, formRows, summaryLine } from './recordFields';

const form: PatientFormView = {
  familyName: 'Ortega',
  givenNames: 'José Eduardo',
  preferredName: '',
  dateOfBirth: '1941-11-23',
  sex: 'unknown',
  genderIdentity: '',
  phones: [{ kind: 'mobile', number: '0171 555 0101' }, { kind: 'home', number: ' ' }],
  email: '',
  address: { line1: '1060 Kuhic Crossroad', line2: '', city: 'Springfield', region: 'MA', postalCode: '01104', country: '' },
  emergencyContact: { name: 'Ana Ortega', relationship: 'daughter', phone: '0171 555 0102' },
  insurance: { payer: 'Acme Health', memberId: 'X-42' },
  frontDeskNote: '',
  status: 'deceased',
  deceasedOn: '2019-06-02',
};

describe('record fields in words', () => {
  it('name fields by their codes', () => {
    expect(fieldLabel('date_of_birth')).toBe('Date of birth');
    expect(fieldLabel('address.postal_code')).toBe('Postal code');
    expect(fieldLabel('emergency_contact.phone')).toBe("Emergency contact's phone");
    expect(fieldLabel('something.new')).toBe('Something new');
  });

  it('write days without ambiguity and leave other text alone', () => {
    expect(formatDay('1984-03-07', 'en-GB')).toBe('7 Mar 1984');
    expect(formatDay('1984-02-30', 'en-GB')).toBe('1984-02-30');
    expect(formatDay('7.3.84')).toBe('7.3.84');
    expect(formatDay('')).toBe('');
  });

  it('read sex, status and names', () => {
    expect(sexLabel('unknown')).toBe('Unknown');
    expect(sexLabel('intersex')).toBe('Intersex');
    expect(statusLabel('deceased')).toBe('Deceased');
    expect(displayName({ familyName: 'Ortega', givenNames: '' })).toBe('Ortega');
    expect(
      summaryLine({
        id: 'p-1',
        mrn: '1000009',
        familyName: 'Ortega',
        givenNames: 'José',
        preferredName: '',
        dateOfBirth: '',
        age: null,
        status: 'active',
        lastVisit: null,
        foundThroughAlias: null,
      }),
    ).toBe('Ortega, José · MRN 1000009');
  });

  it('put a whole record into rows', () => {
    const rows = new Map(formRows(form).map((row) => [row.key, row.value]));
    expect(rows.get('phones')).toBe('0171 555 0101 (mobile)');
    expect(rows.get('address')).toBe('1060 Kuhic Crossroad, Springfield, MA, 01104');
    expect(rows.get('emergency_contact')).toBe('Ana Ortega (daughter), 0171 555 0102');
    expect(rows.get('insurance')).toBe('Acme Health, member number X-42');
    expect(rows.get('status')).toBe('Deceased');
    expect(rows.get('preferred_name')).toBe('');
  });
});
