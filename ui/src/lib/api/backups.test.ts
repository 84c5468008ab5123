import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackupProgressView, BackupSettingsView } from '../../generated/bindings';
import { backUpNow, backups, backupSettings, backupStatus, backupTick, cancelBackup, inspectBackup, inspectBackupForNewPc, localOffsetMinutes, onBackupProgress, onDailyBackupFinished, restoreBackup, restoreOntoThisPc, updateBackupSettings, verifyBackup } from './backups';

describe('backup commands', () => {
  // Stands in for the bridge Tauri puts into the window, to check command and argument names.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();
  // Event handlers registered through the bridge, by the id `transformCallback` gave them.
  let callbacks: Map<number, (event: unknown) => void>;
  const settings: BackupSettingsView = {
    destination: '/media/usb/backups',
    dailyAt: '18:30',
    onLogOffAfterHours: 24,
    keepDaily: 7,
    keepWeekly: 4,
    keepMonthly: 12,
    furtherRecipients: ['age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq'],
  };

  beforeEach(() => {
    bridge.mockReset();
    bridge.mockResolvedValue(null);
    callbacks = new Map();
    const transformCallback = (callback: (event: unknown) => void) => {
      const id = callbacks.size + 1;
      callbacks.set(id, callback);
      return id;
    };
    vi.stubGlobal('window', { __TAURI_INTERNALS__: { invoke: bridge, transformCallback } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('call the Rust commands by name with camelCase arguments', async () => {
    await backupSettings();
    await updateBackupSettings(settings);
    await backups();
    await backupStatus();
    await backUpNow();
    await cancelBackup();
    await verifyBackup('/media/usb/backups/chartkeep-backup-2026-11-25T173000Z.ckbackup');
    await inspectBackup('/tmp/b.ckbackup', 'AGE-SECRET-KEY-1ABC');
    await restoreBackup('/tmp/b.ckbackup', 'AGE-SECRET-KEY-1ABC');
    await inspectBackupForNewPc('/tmp/b.ckbackup', 'AGE-SECRET-KEY-1ABC');
    await restoreOntoThisPc('/tmp/b.ckbackup', 'AGE-SECRET-KEY-1ABC', 'a new owner password');
    await backupTick(60);
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['backup_settings', {}],
      ['update_backup_settings', { settings }],
      ['backups', {}],
      ['backup_status', {}],
      ['back_up_now', {}],
      ['cancel_backup', {}],
      ['verify_backup', { path: '/media/usb/backups/chartkeep-backup-2026-11-25T173000Z.ckbackup' }],
      ['inspect_backup', { path: '/tmp/b.ckbackup', recoveryKey: 'AGE-SECRET-KEY-1ABC' }],
      ['restore_backup', { path: '/tmp/b.ckbackup', recoveryKey: 'AGE-SECRET-KEY-1ABC' }],
      ['inspect_backup_for_new_pc', { path: '/tmp/b.ckbackup', recoveryKey: 'AGE-SECRET-KEY-1ABC' }],
      [
        'restore_onto_this_pc',
        { path: '/tmp/b.ckbackup', recoveryKey: 'AGE-SECRET-KEY-1ABC', newPassword: 'a new owner password' },
      ],
      ['backup_tick', { offsetMinutes: 60 }],
    ]);
  });

  it('give the offset from UTC the way Rust counts it: east of Greenwich is positive', () => {
    expect(localOffsetMinutes({ getTimezoneOffset: () => -60 } as Date)).toBe(60);
    expect(localOffsetMinutes({ getTimezoneOffset: () => 300 } as Date)).toBe(-300);
    expect(Object.is(localOffsetMinutes({ getTimezoneOffset: () => 0 } as Date), 0)).toBe(true);
  });

  it('hand each progress event and the daily backup\u2019s end to the listeners', async () => {
    bridge.mockResolvedValue(7);
    const seen: BackupProgressView[] = [];
    const ended: boolean[] = [];
    await onBackupProgress((progress) => seen.push(progress));
    await onDailyBackupFinished((verified) => ended.push(verified));
    const listens = bridge.mock.calls.filter(([command]) => command === 'plugin:event|listen');
    expect(listens.map(([, args]) => (args as { event: string }).event)).toEqual([
      'backup-progress',
      'daily-backup-finished',
    ]);
    const progress: BackupProgressView = { step: 'writing', done: 10, total: 40, elapsedMs: 500 };
    callbacks.get(1)?.({ event: 'backup-progress', id: 1, payload: progress });
    callbacks.get(2)?.({ event: 'daily-backup-finished', id: 2, payload: true });
    callbacks.get(2)?.({ event: 'daily-backup-finished', id: 2, payload: 'something else' });
    expect(seen).toEqual([progress]);
    expect(ended).toEqual([true, false]);
  });

  it('reject with the CommandError, its code and field intact', async () => {
    const wrongKey = { code: 'backup_key_wrong', message: 'This key does not open the backup.', field: null };
    bridge.mockRejectedValueOnce(wrongKey);
    await expect(inspectBackup('/tmp/b.ckbackup', 'AGE-SECRET-KEY-1XYZ')).rejects.toEqual(wrongKey);
    const several = {
      code: 'invalid_input',
      message: 'Write the time as HH:MM, for example 18:30.',
      field: 'daily_at',
      fields: [
        { field: 'daily_at', message: 'Write the time as HH:MM, for example 18:30.' },
        { field: 'keep_daily', message: 'Keep between 1 and 366 daily backups.' },
      ],
    };
    bridge.mockRejectedValueOnce(several);
    await expect(updateBackupSettings(settings)).rejects.toEqual(several);
    bridge.mockRejectedValueOnce('a string from a broken bridge');
    await expect(backUpNow()).rejects.toMatchObject({ code: 'internal' });
  });
});
