// Backups: the Owner's settings, the list and the home screen's status, "Back up now" with its
// progress and Cancel, verifying a file, restoring on this PC (everyone signs in again) and onto
// a new PC from the first-run screen, and the daily schedule's tick (commands/backups.rs). Each
// resolves with the command's value or rejects with a CommandError (see invoke.ts).
import { listen } from '@tauri-apps/api/event';
import type {
  AppStatus,
  BackupProgressView,
  BackupRecordView,
  BackupSettingsView,
  BackupStatusView,
  BackupSummaryView,
  BackupVerificationView,
  RestoreOutcomeView,
} from '../../generated/bindings';
import { call } from './invoke';

/** The event long backup work sends as it goes (a backup, a verification, a restore). */
export const BACKUP_PROGRESS_EVENT = 'backup-progress';

/** Sent when a daily backup started by the tick ends: `true` when it was made and verified. */
export const DAILY_BACKUP_FINISHED_EVENT = 'daily-backup-finished';

export function backupSettings(): Promise<BackupSettingsView> {
  return call<BackupSettingsView>('backup_settings');
}

/** Saves the settings; resolves with them as saved (recipients trimmed, blanks dropped). */
export function updateBackupSettings(settings: BackupSettingsView): Promise<BackupSettingsView> {
  return call<BackupSettingsView>('update_backup_settings', { settings });
}

/** The backups made, newest first, including those rotation removed. */
export function backups(): Promise<BackupRecordView[]> {
  return call<BackupRecordView[]>('backups');
}

/** The last verified backup, whether it is overdue, and whether the destination can be written. */
export function backupStatus(): Promise<BackupStatusView> {
  return call<BackupStatusView>('backup_status');
}

/**
 * Makes a backup now and verifies it; sends "backup-progress" events. Rejects with `cancelled`
 * after `cancelBackup` (nothing is left in the folder then).
 */
export function backUpNow(): Promise<BackupRecordView> {
  return call<BackupRecordView>('back_up_now');
}

/** Stops the backup or restore under way (a restore only before its final swap). */
export function cancelBackup(): Promise<void> {
  return call<void>('cancel_backup');
}

/** Checks a backup file of this practice and reports each check; sends "backup-progress" events. */
export function verifyBackup(path: string): Promise<BackupVerificationView> {
  return call<BackupVerificationView>('verify_backup', { path });
}

/** What a backup holds, opened with the recovery key (spaces and line breaks do not matter). */
export function inspectBackup(path: string, recoveryKey: string): Promise<BackupSummaryView> {
  return call<BackupSummaryView>('inspect_backup', { path, recoveryKey });
}

/**
 * Replaces this practice's database with the backup; sends "backup-progress" events. The
 * session ends: everyone signs in again. The database as it was is kept as an encrypted copy.
 */
export function restoreBackup(path: string, recoveryKey: string): Promise<RestoreOutcomeView> {
  return call<RestoreOutcomeView>('restore_backup', { path, recoveryKey });
}

/** What a backup holds, for the first-run screen (no one signed in). */
export function inspectBackupForNewPc(path: string, recoveryKey: string): Promise<BackupSummaryView> {
  return call<BackupSummaryView>('inspect_backup_for_new_pc', { path, recoveryKey });
}

/**
 * Restores a backup onto this PC (no practice here, or its keyring entry is gone) and signs the
 * Owner in with `newPassword`; sends "backup-progress" events.
 */
export function restoreOntoThisPc(path: string, recoveryKey: string, newPassword: string): Promise<AppStatus> {
  return call<AppStatus>('restore_onto_this_pc', { path, recoveryKey, newPassword });
}

/**
 * Starts the daily backup when it is due. `offsetMinutes` is this PC's offset from UTC
 * (`-new Date().getTimezoneOffset()`). Resolves `true` when a backup started.
 */
export function backupTick(offsetMinutes: number): Promise<boolean> {
  return call<boolean>('backup_tick', { offsetMinutes });
}

/** The PC's offset from UTC in minutes, as `backupTick` wants it. */
export function localOffsetMinutes(at: Date = new Date()): number {
  // `0 - x` rather than `-x`, so that no offset is 0 and not -0.
  return 0 - at.getTimezoneOffset();
}

/** Calls `handler` with each progress report; resolves with the way to stop listening. */
export async function onBackupProgress(handler: (progress: BackupProgressView) => void): Promise<() => void> {
  return listen<BackupProgressView>(BACKUP_PROGRESS_EVENT, (event) => handler(event.payload));
}

/** Calls `handler` when a daily backup ends (`true`: made and verified). */
export async function onDailyBackupFinished(handler: (verified: boolean) => void): Promise<() => void> {
  return listen<boolean>(DAILY_BACKUP_FINISHED_EVENT, (event) => handler(event.payload === true));
}
