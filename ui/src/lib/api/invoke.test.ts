import { describe, expect, it } from 'vitest';
import type { CommandError } from '../../generated/bindings';
import { asCommandError, needsFreshStatus, UNEXPECTED_ERROR_MESSAGE } from './invoke';

describe('asCommandError', () => {
  it('keeps a CommandError as it is', () => {
    const error: CommandError = { code: 'invalid_input', message: 'Enter the practice name.', field: 'practice_name' };
    expect(asCommandError(error)).toEqual(error);
  });

  it('turns a missing or empty field into null', () => {
    expect(asCommandError({ code: 'wrong_credentials', message: 'The username or password is wrong.' })).toEqual({
      code: 'wrong_credentials',
      message: 'The username or password is wrong.',
      field: null,
    });
    expect(asCommandError({ code: 'forbidden', message: 'Not allowed.', field: '' }).field).toBeNull();
  });

  it('keeps the list of wrong fields of a form with several', () => {
    const error = {
      code: 'invalid_input',
      message: 'Enter the family name.',
      field: 'family_name',
      fields: [
        { field: 'family_name', message: 'Enter the family name.' },
        { field: 'address.postal_code', message: 'The postal code can be at most 20 characters.' },
      ],
    };
    expect(asCommandError(error)).toEqual(error);
    expect(asCommandError({ code: 'invalid_input', message: 'M.', field: null })).not.toHaveProperty('fields');
  });

  it('drops malformed entries of the list of wrong fields', () => {
    const error = asCommandError({
      code: 'invalid_input',
      message: 'Enter the family name.',
      field: 'family_name',
      fields: [{ field: 'email', message: 'Enter an email address.' }, { field: 3 }, null, 'phones'],
    });
    expect(error.fields).toEqual([{ field: 'email', message: 'Enter an email address.' }]);
    expect(asCommandError({ code: 'invalid_input', message: 'M.', field: null, fields: 'x' })).not.toHaveProperty('fields');
  });

  it('turns a string into an internal error with a plain sentence', () => {
    const error = asCommandError('command log_in not found');
    expect(error).toEqual({ code: 'internal', message: UNEXPECTED_ERROR_MESSAGE, field: null });
    expect(error.message).not.toContain('log_in');
    expect(error.message).not.toContain('!');
  });

  it('turns Error objects and other values into an internal error', () => {
    for (const thrown of [new TypeError('x is undefined'), undefined, null, 42, {}, { message: 'no code' }, { code: 'internal' }]) {
      expect(asCommandError(thrown)).toEqual({ code: 'internal', message: UNEXPECTED_ERROR_MESSAGE, field: null });
    }
  });

  it('keeps the message of a code this build does not know yet', () => {
    expect(asCommandError({ code: 'something_new', message: 'A plain sentence.', field: null })).toEqual({
      code: 'internal',
      message: 'A plain sentence.',
      field: null,
    });
  });
});

describe('needsFreshStatus', () => {
  it('asks for the status again when the practice changed underneath the screen', () => {
    expect(needsFreshStatus('keyring_unavailable')).toBe(true);
    expect(needsFreshStatus('recovery_needed')).toBe(true);
    expect(needsFreshStatus('practice_exists')).toBe(true);
  });

  it('does not for errors the screen shows itself', () => {
    expect(needsFreshStatus('wrong_credentials')).toBe(false);
    expect(needsFreshStatus('invalid_input')).toBe(false);
    expect(needsFreshStatus('recovery_key_wrong')).toBe(false);
    expect(needsFreshStatus('internal')).toBe(false);
  });
});
