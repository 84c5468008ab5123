// The one place that talks to the Rust side: `call` invokes a command, and the command wrappers
// (one module per Rust command file: session, access, audit, backups, chart, frontDesk,
// patients) all go through it. Every wrapper resolves with the command's value
// or rejects with a CommandError (never anything else), so screens can show `message` and put
// it next to `field`. The UI branches on `code` only, never on the wording of `message`.
import { invoke } from '@tauri-apps/api/core';
import type { CommandError, ErrorCode, FieldError } from '../../generated/bindings';

/** Every code the Rust side can send. `satisfies` makes the build fail when the list drifts. */
const ERROR_CODES = {
  invalid_input: true,
  wrong_credentials: true,
  forbidden: true,
  no_practice: true,
  practice_exists: true,
  recovery_needed: true,
  keyring_unavailable: true,
  key_slots_damaged: true,
  recovery_key_wrong: true,
  newer_database: true,
  database_unreadable: true,
  already_running: true,
  session_expired: true,
  session_ended: true,
  password_change_required: true,
  second_factor_required: true,
  second_factor_enrolment_required: true,
  account_locked: true,
  too_many_attempts: true,
  not_found: true,
  needs_confirmation: true,
  stale_record: true,
  backup_key_wrong: true,
  newer_backup: true,
  backup_unusable: true,
  destination_unavailable: true,
  cancelled: true,
  key_rotation_pending: true,
  not_signed_in: true,
  internal: true,
} as const satisfies Record<ErrorCode, true>;

/** Shown when something other than a CommandError was thrown (a bug or a broken bridge). */
export const UNEXPECTED_ERROR_MESSAGE =
  'Chartkeep could not complete this step. Try again, and restart Chartkeep if it keeps happening.';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/** The `fields` list of a form with several wrong fields: only well-formed entries are kept. */
function fieldErrorsOf(fields: unknown): FieldError[] | undefined {
  if (!Array.isArray(fields)) {
    return undefined;
  }
  return fields.flatMap((entry: unknown) => {
    const candidate = (typeof entry === 'object' && entry !== null ? entry : {}) as { field?: unknown; message?: unknown };
    return typeof candidate.field === 'string' && typeof candidate.message === 'string'
      ? [{ field: candidate.field, message: candidate.message }]
      : [];
  });
}

/**
 * Turns anything a command (or the bridge to it) threw into a CommandError. A proper
 * `{code, message, field}` object is kept as it is (with its `fields` list, when a form had
 * several wrong fields); strings, Error objects and anything else become an `internal` error
 * with a plain sentence, because their text is not written for people.
 */
export function asCommandError(error: unknown): CommandError {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { code?: unknown; message?: unknown; field?: unknown; fields?: unknown };
    if (typeof candidate.message === 'string' && candidate.message.trim() !== '' && typeof candidate.code === 'string') {
      const field = typeof candidate.field === 'string' && candidate.field !== '' ? candidate.field : null;
      // A code this build does not know yet still carries a message written for people.
      const code = isErrorCode(candidate.code) ? candidate.code : 'internal';
      const fields = fieldErrorsOf(candidate.fields);
      const kept: CommandError = { code, message: candidate.message, field };
      return fields === undefined ? kept : { ...kept, fields };
    }
  }
  return { code: 'internal', message: UNEXPECTED_ERROR_MESSAGE, field: null };
}

/**
 * Codes that mean the practice is no longer in the state the current screen assumed (for
 * example the keyring went away). After one of these the app asks for the status again.
 */
export function needsFreshStatus(code: ErrorCode): boolean {
  switch (code) {
    case 'no_practice':
    case 'practice_exists':
    case 'recovery_needed':
    case 'keyring_unavailable':
    case 'key_slots_damaged':
    case 'newer_database':
    case 'database_unreadable':
    case 'session_expired':
    case 'session_ended':
    case 'not_signed_in':
    case 'password_change_required':
    case 'second_factor_required':
    case 'second_factor_enrolment_required':
      return true;
    default:
      return false;
  }
}

/** Invokes a Rust command; rejects only with a CommandError. Every command wrapper uses this. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw asCommandError(error);
  }
}
