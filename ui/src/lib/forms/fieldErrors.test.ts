import { describe, expect, it } from 'vitest';
import type { CommandError } from '../../generated/bindings';
import { firstFieldInError, normaliseFieldName, placeErrors } from './fieldErrors';

const SETUP_FIELDS = {
  practiceName: [],
  ownerFullName: ['fullName'],
  ownerUsername: ['username'],
  ownerPassword: ['password'],
} as const;

function invalid(field: string | null): CommandError {
  return { code: 'invalid_input', message: 'Enter the practice name.', field };
}

describe('normaliseFieldName', () => {
  it('treats snake_case, camelCase and kebab-case alike, part by part', () => {
    expect(normaliseFieldName('owner_full_name')).toBe('ownerfullname');
    expect(normaliseFieldName('ownerFullName')).toBe('ownerfullname');
    expect(normaliseFieldName('owner-full-name')).toBe('ownerfullname');
    expect(normaliseFieldName('address.postal_code')).toBe(normaliseFieldName('Address.Postal-Code'));
    expect(normaliseFieldName('address.postal_code')).toBe('address.postalcode');
  });
});

describe('placeErrors', () => {
  it('finds the field by its own name in either case style', () => {
    expect(placeErrors(invalid('practice_name'), SETUP_FIELDS).byField).toEqual({ practiceName: 'Enter the practice name.' });
    expect(placeErrors(invalid('practiceName'), SETUP_FIELDS).byField).toEqual({ practiceName: 'Enter the practice name.' });
    expect(placeErrors(invalid('owner_full_name'), SETUP_FIELDS).byField).toEqual({
      ownerFullName: 'Enter the practice name.',
    });
  });

  it('finds the field by another name the Rust side uses for it', () => {
    expect(Object.keys(placeErrors(invalid('password'), SETUP_FIELDS).byField)).toEqual(['ownerPassword']);
    expect(Object.keys(placeErrors(invalid('username'), SETUP_FIELDS).byField)).toEqual(['ownerUsername']);
  });

  it('keeps an error about no field, or a field the form does not have, for the whole form', () => {
    expect(placeErrors(invalid(null), SETUP_FIELDS)).toEqual({ byField: {}, rest: 'Enter the practice name.' });
    expect(placeErrors(invalid('path'), SETUP_FIELDS)).toEqual({ byField: {}, rest: 'Enter the practice name.' });
    const merged: CommandError = { code: 'invalid_input', message: 'Merged.', field: 'patient' };
    expect(placeErrors(merged, ['family_name', 'email'])).toEqual({ byField: {}, rest: 'Merged.' });
  });

  it('puts each message of a form with several wrong fields next to its field, two for one field together', () => {
    const several: CommandError = {
      code: 'invalid_input',
      message: 'Enter the family name.',
      field: 'family_name',
      fields: [
        { field: 'family_name', message: 'Enter the family name.' },
        { field: 'address.postal_code', message: 'The postal code can be at most 20 characters.' },
        { field: 'allergies', message: 'Mark those first.' },
        { field: 'deceased_on', message: 'Enter the date of death as a date.' },
        { field: 'family_name', message: 'A second message for the same field.' },
        { field: 'other', message: 'Mark those first.' },
      ],
    };
    const fields = ['family_name', 'address.postalCode', 'deceased_on', 'email'] as const;
    expect(placeErrors(several, fields)).toEqual({
      byField: {
        family_name: 'Enter the family name. A second message for the same field.',
        'address.postalCode': 'The postal code can be at most 20 characters.',
        deceased_on: 'Enter the date of death as a date.',
      },
      rest: 'Mark those first.',
    });
  });

  it('uses the one field when the list is empty', () => {
    const error: CommandError = { code: 'invalid_input', message: 'Enter an email.', field: 'email', fields: [] };
    expect(placeErrors(error, ['email'])).toEqual({ byField: { email: 'Enter an email.' }, rest: null });
  });
});

describe('firstFieldInError', () => {
  it('gives the first field with a message in the order of the form', () => {
    const order = ['family_name', 'given_names', 'email'] as const;
    expect(firstFieldInError({ email: 'x', given_names: 'y' }, order)).toBe('given_names');
    expect(firstFieldInError({}, order)).toBeNull();
  });
});
