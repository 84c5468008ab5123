// The access-control commands: activity, user administration, my account, settings. Like
// commands.ts, each resolves with the command's value or rejects with a CommandError.
import type {
  AccessSettingsView,
  AppStatus,
  EmergencyAccessForReviewView,
  IssuedPasswordView,
  NewUserForm,
  Role,
  UserSummaryView,
} from '../../generated/bindings';
import { call } from './commands';

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

export function deactivateUser(userId: string): Promise<UserSummaryView> {
  return call<UserSummaryView>('deactivate_user', { userId });
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

export function resetSecondFactor(userId: string): Promise<UserSummaryView> {
  return call<UserSummaryView>('reset_second_factor', { userId });
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

export function unreviewedEmergencyAccesses(): Promise<EmergencyAccessForReviewView[]> {
  return call<EmergencyAccessForReviewView[]>('unreviewed_emergency_accesses');
}

export function reviewEmergencyAccess(accessId: string, comment: string): Promise<void> {
  return call<void>('review_emergency_access', { accessId, comment });
}
