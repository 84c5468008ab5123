// The session's commands (src-tauri/src/commands/mod.rs): the status, first-run setup and its
// recovery key, signing in and out, locking and unlocking, and recovery with the recovery key.
// Each resolves with the command's value or rejects with a CommandError (see invoke.ts).
import type {
  AppStatus,
  PendingRecoveryKeyView,
  SavedFile,
  SetupForm,
} from '../../generated/bindings';
import { call } from './invoke';

export function appStatus(): Promise<AppStatus> {
  return call<AppStatus>('app_status');
}

/** Creates the practice; the status that comes back asks for the recovery key step. */
export function setUpPractice(form: SetupForm): Promise<AppStatus> {
  return call<AppStatus>('set_up_practice', { form });
}

/** The recovery key, only while it waits for the owner's confirmation after setup. */
export function pendingRecoveryKey(): Promise<PendingRecoveryKeyView> {
  return call<PendingRecoveryKeyView>('pending_recovery_key');
}

/** Saves the Recovery Kit where the owner chooses in the save dialog Rust opens; null when closed. */
export function saveRecoveryKit(suggestedName: string): Promise<SavedFile | null> {
  return call<SavedFile | null>('save_recovery_kit', { suggestedName });
}

export function confirmRecoveryKey(lastCharacters: string): Promise<AppStatus> {
  return call<AppStatus>('confirm_recovery_key', { lastCharacters });
}

export function logIn(username: string, password: string): Promise<AppStatus> {
  return call<AppStatus>('log_in', { username, password });
}

export function unlock(password: string): Promise<AppStatus> {
  return call<AppStatus>('unlock', { password });
}

export function lock(): Promise<AppStatus> {
  return call<AppStatus>('lock');
}

export function logOut(): Promise<AppStatus> {
  return call<AppStatus>('log_out');
}

export function recover(recoveryKey: string, newPassword: string): Promise<AppStatus> {
  return call<AppStatus>('recover', { recoveryKey, newPassword });
}
