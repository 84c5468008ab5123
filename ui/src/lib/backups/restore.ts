// Where a restore's errors go. A wrong key belongs under the key; a file that is not a usable
// backup (damaged, another practice's, made by a newer Chartkeep, gone) under the file; a new
// password Rust refuses under the password. Branches on codes and field names only.
import type { CommandError } from '../../generated/bindings';
import { needsFreshStatus } from '../api/invoke';
import { placeErrors } from '../forms/fieldErrors';

export type RestoreField = 'file' | 'key' | 'password';

const FIELD_NAMES: Record<RestoreField, readonly string[]> = {
  file: ['path', 'file'],
  key: ['recoveryKey', 'key'],
  password: ['newPassword', 'password', 'ownerPassword'],
};

/** The field an error belongs under, or null for a message above the buttons. */
export function restoreErrorField(error: CommandError): RestoreField | null {
  switch (error.code) {
    case 'backup_key_wrong':
    case 'recovery_key_wrong':
      return 'key';
    case 'backup_unusable':
    case 'newer_backup':
    case 'not_found':
      return 'file';
    default:
      break;
  }
  if (error.field === null) {
    return null;
  }
  const placed = placeErrors({ code: error.code, message: error.message, field: error.field }, FIELD_NAMES);
  return (Object.keys(placed.byField)[0] as RestoreField | undefined) ?? null;
}

/** Whether the app should ask for its status again after this error during a restore on this PC. */
export function refreshAfterRestoreError(error: CommandError): boolean {
  return needsFreshStatus(error.code);
}

/** A restore or backup stopped with Cancel: said calmly, never as an error. */
export function isCancelled(error: CommandError): boolean {
  return error.code === 'cancelled';
}
