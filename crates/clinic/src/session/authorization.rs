//! The one gate between a session and the database: [`Session::authorize`] checks that the
//! session is still live (idle timeout, absolute limit), reloads the user's roles and status
//! (so a deactivation or a role change applies at once), and checks the permission the use case
//! names against the matrix. Only then does the use case get an [`Authorized`] handle, the only
//! way to read or change anything. A denial changes nothing and is recorded as "denied".

use chartkeep_vault::UnlockedVault;
use rusqlite::Connection;

use super::{AuditedChange, SecondFactorGate, Session};
use crate::audit::{AuditAction, AuditEvent, AuditKey, ChainHead, Detail, Outcome};
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::{Permission, is_allowed};
use crate::session::SignedInUser;
use crate::store;

/// Proof that the session passed [`Session::authorize`] for one permission.
#[derive(Debug)]
pub struct Authorized<'s> {
    session: &'s mut Session,
}

impl Session {
    /// Lets a use case that needs `permission` go ahead, or explains why not. `attempted` is the
    /// action recorded if the permission is denied.
    pub(crate) fn authorize(&mut self, permission: Permission, attempted: AuditAction) -> ClinicResult<Authorized<'_>> {
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
        if !is_allowed(&self.user.roles, permission) {
            let denial = AuditEvent::new(attempted, Outcome::Denied)
                .reason("permission_denied")
                .detail("permission", Detail::Code(permission.as_str()));
            self.record(&denial)?;
            tracing::info!(permission = permission.as_str(), "a use case was refused by the permission matrix");
            return Err(ClinicError::Forbidden);
        }
        self.last_activity = self.clock.now();
        Ok(Authorized { session: self })
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

    pub(crate) fn session_mut(&mut self) -> &mut Session {
        self.session
    }

    pub(crate) fn begin_change(&mut self) -> ClinicResult<AuditedChange<'_>> {
        self.session.begin_change()
    }

    pub(crate) fn record(&mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        self.session.record(event)
    }
}
