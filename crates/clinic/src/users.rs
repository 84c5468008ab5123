//! User administration (the Owner) and "My account" (everyone). A user's key slot and their row
//! change together: the slot file is changed first, and put back if the database half fails.

use chartkeep_vault::{KdfChoice, Password, SlotHolder, UnlockedVault, VaultResult};
use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::{Permission, permissions_of};
use crate::roles::Role;
use crate::session::{Authorized, Session};
use crate::store::{self, UserRecord};
use crate::temporary_password::generate_temporary_password;
use crate::validation::{check_new_password, normalise_username, required_text};

/// A user as the Owner's list shows them. Staff details, not patient data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub must_change_password: bool,
    pub locked_out: bool,
    pub has_second_factor: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub full_name: String,
    pub username: String,
    pub roles: Vec<Role>,
}

/// A user account with a one-time password to hand over; it must be changed at first sign-in.
#[derive(Debug)]
pub struct IssuedPassword {
    pub user: UserSummary,
    pub temporary_password: Password,
}

fn role_codes(roles: &[Role]) -> Detail {
    Detail::Fields(roles.iter().map(|role| role.as_str()).collect())
}

fn status_code(active: bool) -> Detail {
    Detail::Code(if active { "active" } else { "inactive" })
}

/// The entry of a user administration step: which user, their roles and status before and
/// after (the same when the step changes neither).
fn staff_event(action: AuditAction, target: &UserRecord, new_roles: &[Role], now_active: bool) -> AuditEvent {
    AuditEvent::success(action)
        .object("user", &target.id)
        .category("staff_accounts")
        .detail("old_roles", role_codes(&target.roles))
        .detail("new_roles", role_codes(new_roles))
        .detail("old_status", status_code(target.active))
        .detail("new_status", status_code(now_active))
}

fn checked_roles(roles: &[Role]) -> ClinicResult<Vec<Role>> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(ClinicError::invalid("roles", "Choose at least one role."));
    }
    Ok(roles)
}

fn summary(authorized: &Authorized<'_>, record: UserRecord) -> ClinicResult<UserSummary> {
    Ok(UserSummary {
        locked_out: authorized.sign_in_guard()?.is_locked(&record.username, authorized.now()),
        has_second_factor: store::has_second_factor(authorized.connection(), &record.id)?,
        id: record.id,
        username: record.username,
        full_name: record.full_name,
        roles: record.roles,
        active: record.active,
        must_change_password: record.must_change_password,
    })
}

fn existing_user(authorized: &Authorized<'_>, user_id: &str) -> ClinicResult<UserRecord> {
    store::user_by_id(authorized.connection(), user_id)?.ok_or(ClinicError::NotFound("That user"))
}

/// Refuses a change that would leave the practice without an active Owner.
fn keep_an_owner(authorized: &Authorized<'_>, target: &UserRecord, field: &'static str) -> ClinicResult<()> {
    if target.active && target.roles.contains(&Role::Owner) && store::count_active_owners(authorized.connection())? <= 1
    {
        return Err(ClinicError::invalid(
            field,
            "This is the practice's only active owner. Make another user an owner first.",
        ));
    }
    Ok(())
}

/// Changes the slot file, then runs the database half; if that fails, the old slots come back.
fn change_slot_then_database<T>(
    authorized: &mut Authorized<'_>,
    slot_change: impl FnOnce(&mut UnlockedVault) -> VaultResult<()>,
    database_change: impl FnOnce(&mut Authorized<'_>) -> ClinicResult<T>,
) -> ClinicResult<T> {
    let previous_slots = authorized.vault().key_slots().clone();
    slot_change(authorized.vault_mut())?;
    match database_change(authorized) {
        Ok(value) => Ok(value),
        Err(error) => {
            if let Err(restore_error) = authorized.vault_mut().restore_key_slots(previous_slots) {
                tracing::error!(%restore_error, "could not put the key slots back after a failed change");
            }
            Err(error)
        }
    }
}

impl Session {
    /// The practice's users, for the Owner's user administration screen.
    pub fn list_users(&mut self) -> ClinicResult<Vec<UserSummary>> {
        let mut authorized = self.authorize(Permission::ManageUsers, AuditAction::UserListViewed)?;
        let records = store::all_users(authorized.connection())?;
        let users = records
            .into_iter()
            .map(|record| summary(&authorized, record))
            .collect::<ClinicResult<Vec<UserSummary>>>()?;
        authorized.record(
            &AuditEvent::success(AuditAction::UserListViewed)
                .category("staff_accounts")
                .detail("count", Detail::Count(users.len() as u64)),
        )?;
        Ok(users)
    }

    /// The permissions this session's user holds now, so the UI can hide what they cannot do.
    pub fn my_permissions(&mut self) -> ClinicResult<Vec<Permission>> {
        let authorized = self.authorize(Permission::OwnAccount, AuditAction::Login)?;
        Ok(permissions_of(&authorized.user().roles))
    }

    /// Creates a user with a one-time temporary password.
    pub fn create_user(&mut self, new_user: &NewUser, kdf: KdfChoice) -> ClinicResult<IssuedPassword> {
        let mut authorized = self.authorize(Permission::ManageUsers, AuditAction::UserCreated)?;
        let full_name = required_text("full_name", "full name", &new_user.full_name, 200)?;
        let username = normalise_username(&new_user.username)?;
        let roles = checked_roles(&new_user.roles)?;
        if store::user_by_username(authorized.connection(), &username)?.is_some() {
            return Err(ClinicError::invalid("username", "That username is already taken. Choose another."));
        }
        let temporary_password = generate_temporary_password()?;
        let params = kdf.resolve()?;
        let record = UserRecord {
            id: uuid::Uuid::new_v4().to_string(),
            username,
            full_name,
            active: true,
            must_change_password: true,
            roles,
        };
        let holder = SlotHolder { user_id: &record.id, username: &record.username, password: &temporary_password };
        change_slot_then_database(
            &mut authorized,
            |vault| vault.seal_for_user(holder, params),
            |authorized| {
                let now = timestamp(authorized.now());
                let change = authorized.begin_change()?;
                store::insert_user(change.connection(), &record, &now)?;
                change.commit(
                    &AuditEvent::success(AuditAction::UserCreated)
                        .object("user", &record.id)
                        .category("staff_accounts")
                        .detail("old_roles", role_codes(&[]))
                        .detail("new_roles", role_codes(&record.roles))
                        .detail("new_status", status_code(true)),
                )
            },
        )?;
        tracing::info!("a user was created");
        Ok(IssuedPassword { user: summary(&authorized, record)?, temporary_password })
    }

    /// Replaces a user's roles. The practice always keeps an active Owner.
    pub fn change_roles(&mut self, user_id: &str, roles: &[Role]) -> ClinicResult<UserSummary> {
        let mut authorized = self.authorize(Permission::ManageUsers, AuditAction::RolesChanged)?;
        let target = existing_user(&authorized, user_id)?;
        let roles = checked_roles(roles)?;
        if !roles.contains(&Role::Owner) {
            keep_an_owner(&authorized, &target, "roles")?;
        }
        let change = authorized.begin_change()?;
        store::set_roles(change.connection(), &target.id, &roles)?;
        change.commit(&staff_event(AuditAction::RolesChanged, &target, &roles, target.active))?;
        let updated = existing_user(&authorized, user_id)?;
        summary(&authorized, updated)
    }

    /// Deactivates a user at once: their key slot is removed, so they can no longer sign in,
    /// and any session of theirs ends at its next step. Then the database key is rotated (every
    /// page re-encrypted, with `progress`), so a copy of the key-slot file or of the key the user
    /// kept opens nothing from then on. When the rotation does not complete, the deactivation
    /// stands, the error says so, and the Owner is reminded until a rotation completes.
    pub fn deactivate_user(
        &mut self,
        user_id: &str,
        progress: &mut dyn FnMut(chartkeep_vault::backup::BackupProgress) -> bool,
    ) -> ClinicResult<UserSummary> {
        let mut authorized = self.authorize(Permission::ManageUsers, AuditAction::UserDeactivated)?;
        let target = existing_user(&authorized, user_id)?;
        if target.id == authorized.user().id {
            return Err(ClinicError::invalid("user", "You cannot deactivate your own account."));
        }
        if !target.active {
            return summary(&authorized, target);
        }
        keep_an_owner(&authorized, &target, "user")?;
        change_slot_then_database(
            &mut authorized,
            |vault| vault.remove_slot(&target.id),
            |authorized| {
                let now = timestamp(authorized.now());
                let change = authorized.begin_change()?;
                store::set_active(change.connection(), &target.id, false)?;
                store::rotation_needed(change.connection(), "user_deactivated", &now)?;
                change.commit(&staff_event(AuditAction::UserDeactivated, &target, &target.roles, false))
            },
        )?;
        crate::key_rotation::rotate(&mut authorized, crate::key_rotation::RotationReason::UserDeactivated, progress)
            .map_err(|error| crate::key_rotation::deactivated_but_not_rotated(&error))?;
        let updated = existing_user(&authorized, user_id)?;
        summary(&authorized, updated)
    }

    /// Reactivates a user with a new temporary password.
    pub fn reactivate_user(&mut self, user_id: &str, kdf: KdfChoice) -> ClinicResult<IssuedPassword> {
        let authorized = self.authorize(Permission::ManageUsers, AuditAction::UserReactivated)?;
        let target = existing_user(&authorized, user_id)?;
        if target.active {
            return Err(ClinicError::invalid("user", "This user is already active."));
        }
        issue_temporary_password(authorized, target, AuditAction::UserReactivated, kdf)
    }

    /// Gives a user a new temporary password (they forgot theirs) and lifts any lockout.
    pub fn reset_password(&mut self, user_id: &str, kdf: KdfChoice) -> ClinicResult<IssuedPassword> {
        let authorized = self.authorize(Permission::ManageUsers, AuditAction::PasswordReset)?;
        let target = existing_user(&authorized, user_id)?;
        if target.id == authorized.user().id {
            return Err(ClinicError::invalid("user", "Change your own password under My account."));
        }
        if !target.active {
            return Err(ClinicError::invalid("user", "Reactivate this user instead."));
        }
        issue_temporary_password(authorized, target, AuditAction::PasswordReset, kdf)
    }

    /// Lifts a lockout after too many wrong passwords.
    pub fn unlock_account(&mut self, user_id: &str) -> ClinicResult<UserSummary> {
        let mut authorized = self.authorize(Permission::ManageUsers, AuditAction::AccountUnlocked)?;
        let target = existing_user(&authorized, user_id)?;
        authorized.sign_in_guard()?.clear(&target.username, authorized.now())?;
        authorized.record(&staff_event(AuditAction::AccountUnlocked, &target, &target.roles, target.active))?;
        summary(&authorized, target)
    }

    /// Removes a user's second factor (a lost phone). If their role requires one, they enrol
    /// again at their next sign-in.
    pub fn reset_second_factor(&mut self, user_id: &str) -> ClinicResult<UserSummary> {
        let mut authorized = self.authorize(Permission::ManageUsers, AuditAction::SecondFactorReset)?;
        let target = existing_user(&authorized, user_id)?;
        let change = authorized.begin_change()?;
        store::remove_second_factor(change.connection(), &target.id)?;
        change.commit(&staff_event(AuditAction::SecondFactorReset, &target, &target.roles, target.active))?;
        summary(&authorized, target)
    }

    /// Changes the signed-in user's own password (re-sealing their key slot); also how a
    /// temporary password is replaced at first sign-in. A wrong current password counts in the
    /// same throttle as a wrong password at sign-in and is audited; the lockout ends the session,
    /// so someone at an unlocked PC cannot guess on from there.
    pub fn change_own_password(&mut self, current: &Password, new: &Password, kdf: KdfChoice) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::OwnAccount, AuditAction::PasswordChanged)?;
        let user = authorized.user().clone();
        let now = authorized.now();
        if let Err(refusal) = authorized.sign_in_guard()?.check(&user.username, now) {
            if matches!(refusal, ClinicError::AccountLocked { .. }) {
                authorized.session_mut().end_after_lockout();
            }
            return Err(refusal);
        }
        if authorized.vault().verify_password(&user.username, current).is_err() {
            let locked = authorized.sign_in_guard()?.record_failure(&user.username, now)?;
            authorized.record(
                &AuditEvent::new(AuditAction::PasswordChanged, crate::audit::Outcome::Failed)
                    .object("user", &user.id)
                    .reason(if locked { "wrong_current_password_locked" } else { "wrong_current_password" }),
            )?;
            if locked {
                authorized.session_mut().end_after_lockout();
                return Err(ClinicError::AccountLocked { minutes: crate::LOCKOUT.whole_minutes() });
            }
            return Err(ClinicError::invalid("current_password", "The current password is not right."));
        }
        check_new_password(new, Some(&user.username)).map_err(|error| match error {
            ClinicError::InvalidInput { message, .. } => ClinicError::InvalidInput { field: "new_password", message },
            other => other,
        })?;
        if current.expose() == new.expose() {
            return Err(ClinicError::invalid("new_password", "Choose a password different from the current one."));
        }
        let params = kdf.resolve()?;
        let holder = SlotHolder { user_id: &user.id, username: &user.username, password: new };
        change_slot_then_database(
            &mut authorized,
            |vault| vault.seal_for_user(holder, params),
            |authorized| {
                let change = authorized.begin_change()?;
                store::set_must_change_password(change.connection(), &user.id, false)?;
                change.commit(&AuditEvent::success(AuditAction::PasswordChanged).object("user", &user.id))
            },
        )?;
        authorized.session_mut().password_changed();
        Ok(())
    }
}

fn issue_temporary_password(
    mut authorized: Authorized<'_>,
    target: UserRecord,
    action: AuditAction,
    kdf: KdfChoice,
) -> ClinicResult<IssuedPassword> {
    let temporary_password = generate_temporary_password()?;
    let params = kdf.resolve()?;
    let holder = SlotHolder { user_id: &target.id, username: &target.username, password: &temporary_password };
    change_slot_then_database(
        &mut authorized,
        |vault| vault.seal_for_user(holder, params),
        |authorized| {
            let change = authorized.begin_change()?;
            store::set_active(change.connection(), &target.id, true)?;
            store::set_must_change_password(change.connection(), &target.id, true)?;
            change.commit(&staff_event(action, &target, &target.roles, true))
        },
    )?;
    authorized.sign_in_guard()?.clear(&target.username, authorized.now())?;
    let updated = existing_user(&authorized, &target.id)?;
    Ok(IssuedPassword { user: summary(&authorized, updated)?, temporary_password })
}
