//! The one gate between a session and the database: [`Session::authorize`] checks that the
//! session is still live (idle timeout, absolute limit), reloads the user's roles and status
//! (so a deactivation or a role change applies at once), and checks the permission the use case
//! names against the matrix. Only then does the use case get an [`Authorized`] handle, the only
//! way to read or change anything. A denial changes nothing and is recorded as "denied".

use crate::patients::PatientId;
use chartkeep_vault::UnlockedVault;
use rusqlite::Connection;

use super::{AuditedChange, SecondFactorGate, Session};
use crate::audit::{AuditAction, AuditEvent, AuditKey, ChainHead, Detail, Outcome};
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::{EMERGENCY_ACCESS_PERMISSIONS, Permission, is_allowed};
use crate::session::SignedInUser;
use crate::store;

/// Proof that the session passed [`Session::authorize`] for one permission.
#[derive(Debug)]
pub struct Authorized<'s> {
    session: &'s mut Session,
    /// The emergency access this use case runs under, if the user's roles alone do not allow it.
    emergency_access_id: Option<String>,
}

impl Session {
    /// Lets a use case that needs `permission` go ahead, or explains why not. `attempted` is the
    /// action recorded if the permission is denied.
    pub(crate) fn authorize(&mut self, permission: Permission, attempted: AuditAction) -> ClinicResult<Authorized<'_>> {
        self.admit(permission)?;
        if !is_allowed(&self.user.roles, permission) {
            return Err(self.deny(permission, attempted, None)?);
        }
        self.last_activity = self.clock.now();
        Ok(Authorized { session: self, emergency_access_id: None })
    }

    /// Like [`Session::authorize`], for work nobody at the screen asked for (the scheduled
    /// backups): it does not count as activity, so it never keeps an idle session from ending.
    pub(crate) fn authorize_in_background(
        &mut self,
        permission: Permission,
        attempted: AuditAction,
    ) -> ClinicResult<Authorized<'_>> {
        let last_activity = self.last_activity;
        let authorized = self.authorize(permission, attempted)?;
        authorized.session.last_activity = last_activity;
        Ok(authorized)
    }

    /// Like [`Session::authorize`], for a use case on one patient's record: a user whose roles
    /// lack `permission` may still go ahead under an active emergency access to that patient,
    /// and then every entry the use case writes carries the break-glass flag.
    pub(crate) fn authorize_for_patient(
        &mut self,
        permission: Permission,
        patient_id: &PatientId,
        attempted: AuditAction,
    ) -> ClinicResult<Authorized<'_>> {
        self.admit(permission)?;
        let emergency_access_id = if is_allowed(&self.user.roles, permission) {
            None
        } else {
            match self.active_emergency_access(permission, patient_id)? {
                Some(id) => Some(id),
                None => return Err(self.deny(permission, attempted, Some(patient_id))?),
            }
        };
        self.last_activity = self.clock.now();
        Ok(Authorized { session: self, emergency_access_id })
    }

    /// What every use case checks first: the session is live, its user active, its gates passed.
    fn admit(&mut self, permission: Permission) -> ClinicResult<()> {
        self.check_live()?;
        self.reload_user()?;
        if let SecondFactorGate::CodeRequired { .. } = self.second_factor {
            return Err(ClinicError::SecondFactorRequired);
        }
        if self.must_change_password && permission != Permission::OwnAccount {
            return Err(ClinicError::PasswordChangeRequired);
        }
        if self.second_factor == SecondFactorGate::EnrolmentRequired && permission != Permission::OwnAccount {
            return Err(ClinicError::SecondFactorEnrolmentRequired);
        }
        Ok(())
    }

    /// Records a refusal (nothing else changes) and returns the error to give.
    fn deny(
        &mut self,
        permission: Permission,
        attempted: AuditAction,
        patient_id: Option<&PatientId>,
    ) -> ClinicResult<ClinicError> {
        let mut denial = AuditEvent::new(attempted, Outcome::Denied)
            .reason("permission_denied")
            .detail("permission", Detail::Code(permission.as_str()));
        if let Some(patient_id) = patient_id {
            denial = denial.patient(patient_id);
        }
        self.record(&denial)?;
        tracing::info!(permission = permission.as_str(), "a use case was refused by the permission matrix");
        Ok(ClinicError::Forbidden)
    }

    /// Records activity from the person at the screen, keeping the session alive.
    pub fn touch(&mut self) -> ClinicResult<()> {
        self.check_live()?;
        self.last_activity = self.clock.now();
        Ok(())
    }

    /// Refuses once the session has run out (and from then on).
    pub fn check_live(&mut self) -> ClinicResult<()> {
        if self.expired {
            return Err(ClinicError::SessionExpired);
        }
        if self.limits.expiry(self.started_at, self.last_activity, self.clock.now()).is_some() {
            self.expired = true;
            return Err(ClinicError::SessionExpired);
        }
        Ok(())
    }

    /// The id of this user's unexpired emergency access to `patient_id`, if the permission is
    /// one that emergency access can give.
    fn active_emergency_access(&self, permission: Permission, patient_id: &PatientId) -> ClinicResult<Option<String>> {
        if !EMERGENCY_ACCESS_PERMISSIONS.contains(&permission) {
            return Ok(None);
        }
        // An access ends early when the Owner switches emergency access off for the user's roles.
        let settings = store::access_settings(self.vault.connection())?;
        let still_allowed = settings
            .role_policies
            .iter()
            .any(|policy| self.user.roles.contains(&policy.role) && policy.emergency_access_allowed);
        if !still_allowed {
            return Ok(None);
        }
        let now = crate::clock::timestamp(self.clock.now());
        crate::emergency_access::store::running(self.vault.connection(), &self.user.id, patient_id, &now)
    }

    /// Reloads the user's roles, status and idle timeout from the database.
    fn reload_user(&mut self) -> ClinicResult<()> {
        let record = store::user_by_id(self.vault.connection(), &self.user.id)?;
        let Some(record) = record.filter(|record| record.active) else {
            self.expired = true;
            return Err(ClinicError::SessionEnded);
        };
        self.must_change_password = record.must_change_password;
        if record.roles != self.user.roles {
            self.actor.roles = crate::roles::roles_text(&record.roles);
            self.user.roles = record.roles;
        }
        self.limits = store::session_limits(self.vault.connection(), &self.user.roles)?;
        Ok(())
    }
}

impl Authorized<'_> {
    pub fn user(&self) -> &SignedInUser {
        &self.session.user
    }

    pub(crate) fn connection(&self) -> &Connection {
        self.session.vault.connection()
    }

    pub(crate) fn vault(&self) -> &UnlockedVault {
        &self.session.vault
    }

    pub(crate) fn vault_mut(&mut self) -> &mut UnlockedVault {
        &mut self.session.vault
    }

    pub(crate) fn audit_key(&self) -> &AuditKey {
        &self.session.audit_key
    }

    pub(crate) fn now(&self) -> time::OffsetDateTime {
        self.session.clock.now()
    }

    pub(crate) fn sign_in_guard(&self) -> ClinicResult<crate::sign_in_guard::SignInGuard<'_>> {
        self.session.sign_in_guard()
    }

    /// Rotates the database key (see `key_rotation.rs`), writing `event` into the re-encrypted
    /// database with the rotation, then anchors the chain where it now stands.
    pub(crate) fn rotate_database_key(
        &mut self,
        keep_user_ids: &[String],
        event: &AuditEvent,
        progress: &mut dyn FnMut(chartkeep_vault::backup::BackupProgress) -> bool,
    ) -> ClinicResult<chartkeep_vault::RotationOutcome> {
        let Session { vault, audit_key, actor, keyring, clock, .. } = &mut *self.session;
        let now = crate::clock::timestamp(clock.now());
        let mut record = |connection: &Connection| -> chartkeep_vault::VaultResult<()> {
            let unrecorded = |_| chartkeep_vault::VaultError::RotationRefused("its audit entry could not be written");
            crate::audit::append(connection, audit_key, actor, event, now.clone()).map_err(unrecorded)?;
            store::rotation_done(connection).map_err(unrecorded)?;
            Ok(())
        };
        let outcome = vault.rotate_database_key(keyring.as_ref(), keep_user_ids, &mut record, progress)?;
        self.session.anchor_chain();
        Ok(outcome)
    }

    pub(crate) fn session_mut(&mut self) -> &mut Session {
        self.session
    }

    pub(crate) fn emergency_access_id(&self) -> Option<&str> {
        self.emergency_access_id.as_deref()
    }

    pub(crate) fn begin_change(&mut self) -> ClinicResult<AuditedChange<'_>> {
        self.session.begin_change_under(self.emergency_access_id.clone())
    }

    pub(crate) fn record(&mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        self.begin_change()?.commit(event)
    }
}
