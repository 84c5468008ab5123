import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus, CommandError } from '../../generated/bindings';
import {
  appStatus,
  asCommandError,
  confirmRecoveryKey,
  lock,
  logIn,
  logOut,
  needsFreshStatus,
  pendingRecoveryKey,
  recover,
  saveRecoveryKit,
  setUpPractice,
  UNEXPECTED_ERROR_MESSAGE,
  unlock,
} from './commands';

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

describe('commands', () => {
  // Stands in for the bridge Tauri puts into the window, to check command and argument names.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();
  const signedOut: AppStatus = { state: 'signed_out' };

  beforeEach(() => {
    bridge.mockReset();
    bridge.mockResolvedValue(signedOut);
    vi.stubGlobal('window', { __TAURI_INTERNALS__: { invoke: bridge } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('call the Rust commands by name with camelCase arguments', async () => {
    await appStatus();
    await setUpPractice({ practiceName: 'P', ownerFullName: 'O', ownerUsername: 'o', ownerPassword: 'pw' });
    await pendingRecoveryKey();
    await saveRecoveryKit('/home/o/Chartkeep Recovery Kit.pdf');
    await confirmRecoveryKey('AB7XYZ');
    await logIn('o', 'pw');
    await unlock('pw');
    await lock();
    await logOut();
    await recover('AGE-SECRET-KEY-1AAAA', 'new pw');
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['app_status', {}],
      ['set_up_practice', { form: { practiceName: 'P', ownerFullName: 'O', ownerUsername: 'o', ownerPassword: 'pw' } }],
      ['pending_recovery_key', {}],
      ['save_recovery_kit', { path: '/home/o/Chartkeep Recovery Kit.pdf' }],
      ['confirm_recovery_key', { lastCharacters: 'AB7XYZ' }],
      ['log_in', { username: 'o', password: 'pw' }],
      ['unlock', { password: 'pw' }],
      ['lock', {}],
      ['log_out', {}],
      ['recover', { recoveryKey: 'AGE-SECRET-KEY-1AAAA', newPassword: 'new pw' }],
    ]);
  });

  it('resolve with the value the command returns', async () => {
    expect(await logOut()).toEqual(signedOut);
  });

  it('reject with a CommandError whatever the bridge throws', async () => {
    const wrong: CommandError = { code: 'wrong_credentials', message: 'The username or password is wrong.', field: null };
    bridge.mockRejectedValueOnce(wrong);
    await expect(logIn('o', 'pw')).rejects.toEqual(wrong);
    bridge.mockRejectedValueOnce('unexpected text from the bridge');
    await expect(unlock('pw')).rejects.toEqual({ code: 'internal', message: UNEXPECTED_ERROR_MESSAGE, field: null });
  });
});
