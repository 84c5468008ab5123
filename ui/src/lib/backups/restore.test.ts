import { describe, expect, it } from 'vitest';
import type { CommandError, ErrorCode } from '../../generated/bindings';
import { isCancelled, refreshAfterRestoreError, restoreErrorField } from './restore';

function error(code: ErrorCode, field: string | null = null): CommandError {
  return { code, message: 'Rust\u2019s words, never read here.', field };
}

describe('restore errors', () => {
  it('put a key that does not open the backup under the key', () => {
    expect(restoreErrorField(error('backup_key_wrong'))).toBe('key');
    expect(restoreErrorField(error('recovery_key_wrong'))).toBe('key');
  });

  it('put a backup that cannot be used under the file, newer ones included', () => {
    expect(restoreErrorField(error('backup_unusable'))).toBe('file');
    expect(restoreErrorField(error('newer_backup'))).toBe('file');
    expect(restoreErrorField(error('not_found'))).toBe('file');
    expect(restoreErrorField(error('invalid_input', 'path'))).toBe('file');
  });

  it('put a refused new password under the password', () => {
    expect(restoreErrorField(error('invalid_input', 'password'))).toBe('password');
    expect(restoreErrorField(error('invalid_input', 'new_password'))).toBe('password');
  });

  it('keep anything else for above the buttons', () => {
    expect(restoreErrorField(error('invalid_input', 'backup'))).toBeNull();
    expect(restoreErrorField(error('internal'))).toBeNull();
    expect(restoreErrorField(error('forbidden'))).toBeNull();
  });

  it('ask for the status again when the session went, not for a newer backup', () => {
    expect(refreshAfterRestoreError(error('session_expired'))).toBe(true);
    expect(refreshAfterRestoreError(error('not_signed_in'))).toBe(true);
    expect(refreshAfterRestoreError(error('newer_backup'))).toBe(false);
    expect(refreshAfterRestoreError(error('backup_unusable'))).toBe(false);
  });

  it('recognise Cancel by its code', () => {
    expect(isCancelled(error('cancelled'))).toBe(true);
    expect(isCancelled(error('internal'))).toBe(false);
  });
});
