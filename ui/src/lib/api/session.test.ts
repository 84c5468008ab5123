import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus, CommandError } from '../../generated/bindings';
import { UNEXPECTED_ERROR_MESSAGE } from './invoke';
import { appStatus, confirmRecoveryKey, lock, logIn, logOut, pendingRecoveryKey, recover, saveRecoveryKit, setUpPractice, unlock } from './session';

describe('session commands', () => {
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
    await saveRecoveryKit('Chartkeep Recovery Kit.pdf');
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
      ['save_recovery_kit', { suggestedName: 'Chartkeep Recovery Kit.pdf' }],
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
