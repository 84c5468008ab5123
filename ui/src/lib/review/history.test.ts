import { describe, expect, it } from 'vitest';
import type { PatientFormView, PatientVersionView, VersionChange } from '../../generated/bindings';
import { changedFieldsText, changedHere, changeLabel, newestFirst } from './history';

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

const version = (number: number, change: VersionChange, changedFields: string[] = []): PatientVersionView => ({
  version: number,
  change,
  reason: null,
  changedBy: 'Dana Demo (owner)',
  changedAt: '2026-03-07T10:00:00Z',
  changedFields,
  form,
});

describe('History', () => {
  it('lists versions newest first', () => {
    const versions = [version(1, 'registered'), version(3, 'entered_in_error'), version(2, 'updated', ['email'])];
    expect(newestFirst(versions).map((each) => each.version)).toEqual([3, 2, 1]);
    expect(versions[0].version).toBe(1);
  });

  it('names each kind of change', () => {
    expect(changeLabel('registered')).toBe('Registered');
    expect(changeLabel('imported')).toBe('Imported from a file');
    expect(changeLabel('updated')).toBe('Changed');
    expect(changeLabel('entered_in_error')).toBe('Marked entered in error');
  });

  it('says which fields a version changed', () => {
    expect(changedFieldsText(version(1, 'registered'))).toBe('First version of the record');
    expect(changedFieldsText(version(2, 'entered_in_error'))).toBe('No field changed');
    expect(changedFieldsText(version(2, 'updated', ['family_name', 'address', 'deceased_on']))).toBe(
      'Family name, Address, Date of death',
    );
  });

  it('marks the fields a version changed, whole or in part', () => {
    expect(changedHere(version(2, 'updated', ['address.city']), 'address')).toBe(true);
    expect(changedHere(version(2, 'updated', ['address']), 'address')).toBe(true);
    expect(changedHere(version(2, 'updated', ['email']), 'address')).toBe(false);
  });
});
