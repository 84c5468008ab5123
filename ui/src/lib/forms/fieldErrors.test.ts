import { describe, expect, it } from 'vitest';
import type { CommandError } from '../../generated/bindings';
import { fieldOfError, normaliseFieldName } from './fieldErrors';

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
  it('treats snake_case, camelCase and kebab-case alike', () => {
    expect(normaliseFieldName('owner_full_name')).toBe('ownerfullname');
    expect(normaliseFieldName('ownerFullName')).toBe('ownerfullname');
    expect(normaliseFieldName('owner-full-name')).toBe('ownerfullname');
  });
});

describe('fieldOfError', () => {
  it('finds the field by its own name in either case style', () => {
    expect(fieldOfError(invalid('practice_name'), SETUP_FIELDS)).toBe('practiceName');
    expect(fieldOfError(invalid('practiceName'), SETUP_FIELDS)).toBe('practiceName');
    expect(fieldOfError(invalid('owner_full_name'), SETUP_FIELDS)).toBe('ownerFullName');
  });

  it('finds the field by another name the Rust side uses for it', () => {
    expect(fieldOfError(invalid('password'), SETUP_FIELDS)).toBe('ownerPassword');
    expect(fieldOfError(invalid('username'), SETUP_FIELDS)).toBe('ownerUsername');
  });

  it('gives null for no field or a field the form does not have', () => {
    expect(fieldOfError(invalid(null), SETUP_FIELDS)).toBeNull();
    expect(fieldOfError(invalid('path'), SETUP_FIELDS)).toBeNull();
  });
});
