import { describe, expect, it } from 'vitest';
import type { CommandError } from '../../generated/bindings';
import { firstFieldInError, normaliseFieldName, placeErrors } from '../forms/fieldErrors';
import {
  duplicateProbe,
  emptyPatientForm,
  FORM_FIELDS,
  formFieldsOf,
  formForEditing,
  formToSend,
  inputIdOf,
  looksLikeFullDate,
} from './form';

describe('the patient form', () => {
  it('starts empty and active, with one mobile number to type', () => {
    const form = emptyPatientForm();
    expect(form.status).toBe('active');
    expect(form.phones).toEqual([{ kind: 'mobile', number: '' }]);
  });

  it('edits a copy, never the record it came from', () => {
    const record = { ...emptyPatientForm(), phones: [] };
    const editing = formForEditing(record);
    editing.address.city = 'Graz';
    expect(record.address.city).toBe('');
    expect(editing.phones).toHaveLength(1);
    expect(editing.status).toBe('active');
  });

  it('sends no empty phone rows and no date of death unless deceased', () => {
    const form = emptyPatientForm();
    form.phones = [
      { kind: 'mobile', number: ' ' },
      { kind: 'home', number: '0664 1234567' },
    ];
    form.deceasedOn = '2020-01-01';
    const sent = formToSend(form);
    expect(sent.phones).toEqual([{ kind: 'home', number: '0664 1234567' }]);
    expect(sent.deceasedOn).toBe('');
    expect(formToSend({ ...form, status: 'deceased' }).deceasedOn).toBe('2020-01-01');
  });
});

describe('duplicateProbe', () => {
  it('waits for a family name with a whole date of birth, or a phone number', () => {
    const form = emptyPatientForm();
    form.familyName = 'Müller';
    expect(duplicateProbe(form)).toBeNull();
    form.dateOfBirth = '07/03/19';
    expect(duplicateProbe(form)).toBeNull();
    form.dateOfBirth = '07/03/1984';
    expect(duplicateProbe(form)).not.toBeNull();
    const byPhone = emptyPatientForm();
    byPhone.phones[0].number = '0664 12';
    expect(duplicateProbe(byPhone)).not.toBeNull();
    byPhone.phones[0].number = '0664';
    expect(duplicateProbe(byPhone)).toBeNull();
  });

  it('changes only when what is compared changes', () => {
    const form = { ...emptyPatientForm(), familyName: 'Müller', dateOfBirth: '1984-03-07' };
    const before = duplicateProbe(form);
    expect(duplicateProbe({ ...form, email: 'anna@example.org' })).toBe(before);
    expect(duplicateProbe({ ...form, familyName: 'Müller ' })).toBe(before);
    expect(duplicateProbe({ ...form, givenNames: 'Anna' })).not.toBe(before);
  });

  it('reads whole dates in every way people type them', () => {
    for (const date of ['1984-03-07', '07/03/1984', '7.3.1984', '7-3-1984']) {
      expect(looksLikeFullDate(date)).toBe(true);
    }
    for (const date of ['07/03', '1984', '7.3.84', 'March']) {
      expect(looksLikeFullDate(date)).toBe(false);
    }
  });
});

describe('errors of the form', () => {
  const several: CommandError = {
    code: 'invalid_input',
    message: 'Enter the family name.',
    field: 'family_name',
    fields: [
      { field: 'family_name', message: 'Enter the family name.' },
      { field: 'address.postal_code', message: 'The postal code can be at most 20 characters.' },
      { field: 'deceased_on', message: 'Enter the date of death as a date.' },
    ],
  };

  const errorsOf = (error: CommandError) => placeErrors(error, FORM_FIELDS);

  it('puts each message of a form with several wrong fields next to its field', () => {
    const errors = errorsOf(several);
    expect(errors.byField.family_name).toBe('Enter the family name.');
    expect(errors.byField['address.postal_code']).toBe('The postal code can be at most 20 characters.');
    expect(errors.byField.deceased_on).toBe('Enter the date of death as a date.');
    expect(errors.byField.email).toBeUndefined();
    expect(errors.rest).toBeNull();
  });

  it('uses the one field when there is no list', () => {
    const errors = errorsOf({ code: 'invalid_input', message: 'Enter an email address.', field: 'email' });
    expect(errors.byField).toEqual({ email: 'Enter an email address.' });
  });

  it('keeps errors about nothing on the form apart', () => {
    expect(errorsOf({ code: 'not_found', message: 'That patient was not found.', field: null }).rest).toBe(
      'That patient was not found.',
    );
    expect(errorsOf({ code: 'invalid_input', message: 'Merged.', field: 'patient' }).rest).toBe('Merged.');
  });

  it('names fields alike in either case style', () => {
    expect(normaliseFieldName('address.postal_code')).toBe(normaliseFieldName('address.postalCode'));
    const camel = { ...several, fields: [{ field: 'address.postalCode', message: 'Too long.' }] };
    expect(errorsOf(camel).byField['address.postal_code']).toBe('Too long.');
  });

  it('finds the input of a field and the first field to fix', () => {
    expect(inputIdOf('register', 'address.postal_code')).toBe('register-address-postal-code');
    expect(inputIdOf('register', 'phones')).toBe('register-phone-0');
    expect(inputIdOf('edit', 'family_name')).toBe('edit-family-name');
    expect(formFieldsOf('edit').phones).toBe('edit-phone-0');
    expect(Object.keys(formFieldsOf('register'))).toEqual([...FORM_FIELDS]);
    const later = errorsOf({ ...several, fields: several.fields?.slice(1) });
    expect(firstFieldInError(later.byField, FORM_FIELDS)).toBe('address.postal_code');
  });
});
