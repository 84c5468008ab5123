// The access-control commands (commands/access.rs): activity, user administration, my account
// and the second factor, the access settings, and the review of emergency access. Each resolves
// with the command's value or rejects with a CommandError (see invoke.ts).
import type {
  AccessSettingsView,
  AppStatus,
  EmergencyAccessForReviewView,
  IssuedPasswordView,
  KeyRotation,
  NewUserForm,
  Role,
  TotpEnrolmentView,
  UserSummaryView,
} from '../../generated/bindings';
import { call } from './invoke';

/** Activity at the screen; answers the lock screen once the session has run out. */
export function touch(): Promise<AppStatus> {
  return call<AppStatus>('touch');
}

export function listUsers(): Promise<UserSummaryView[]> {
  return call<UserSummaryView[]>('list_users');
}

export function createUser(form: NewUserForm): Promise<IssuedPasswordView> {
  return call<IssuedPasswordView>('create_user', { form });
}

export function changeRoles(userId: string, roles: Role[]): Promise<UserSummaryView> {
  return call<UserSummaryView>('change_roles', { userId, roles });
}

/**
 * Deactivates a user, then rotates the database key (every page re-encrypted, reported as
 * "backup-progress" events) so a copy of the key slots they kept opens nothing.
 */
export function deactivateUser(userId: string): Promise<UserSummaryView> {
  return call<UserSummaryView>('deactivate_user', { userId });
}

/** Rotates the database key by hand, with progress. */
export function rotateDatabaseKey(): Promise<KeyRotation> {
  return call<KeyRotation>('rotate_database_key');
}

/** Since when a rotation of the database key has been needed and not completed; null if none. */
export function databaseKeyRotationNeeded(): Promise<string | null> {
  return call<string | null>('database_key_rotation_needed');
}

export function reactivateUser(userId: string): Promise<IssuedPasswordView> {
  return call<IssuedPasswordView>('reactivate_user', { userId });
}

export function resetPassword(userId: string): Promise<IssuedPasswordView> {
  return call<IssuedPasswordView>('reset_password', { userId });
}

export function unlockAccount(userId: string): Promise<UserSummaryView> {
  return call<UserSummaryView>('unlock_account', { userId });
}

export function changeOwnPassword(current: string, newPassword: string): Promise<AppStatus> {
  return call<AppStatus>('change_own_password', { current, newPassword });
}

export function accessSettings(): Promise<AccessSettingsView> {
  return call<AccessSettingsView>('access_settings');
}

export function updateAccessSettings(settings: AccessSettingsView): Promise<AccessSettingsView> {
  return call<AccessSettingsView>('update_access_settings', { settings });
}

export function verifySecondFactor(code: string): Promise<AppStatus> {
  return call<AppStatus>('verify_second_factor', { code });
}

export function beginSecondFactorEnrolment(): Promise<TotpEnrolmentView> {
  return call<TotpEnrolmentView>('begin_second_factor_enrolment');
}

/** Resolves with the ten recovery codes, to be shown once. */
export function confirmSecondFactorEnrolment(code: string): Promise<string[]> {
  return call<string[]>('confirm_second_factor_enrolment', { code });
}

export function resetSecondFactor(userId: string): Promise<UserSummaryView> {
  return call<UserSummaryView>('reset_second_factor', { userId });
}

export function unreviewedEmergencyAccesses(): Promise<EmergencyAccessForReviewView[]> {
  return call<EmergencyAccessForReviewView[]>('unreviewed_emergency_accesses');
}

export function reviewEmergencyAccess(accessId: string, comment: string): Promise<void> {
  return call<void>('review_emergency_access', { accessId, comment });
}
