//! A signed-in user's session: the unlocked vault, the audit key, and who is acting. Every use
//! case takes a `Session`, and every change goes through an [`AuditedChange`], whose only way to
//! commit takes the audit event: a change cannot be committed without its audit entry.

use std::sync::Arc;

use chartkeep_vault::UnlockedVault;
use serde::Serialize;

use crate::audit::{self, Actor, AuditAction, AuditEvent, AuditKey, ChainHead, ChainVerification};
use crate::clock::{Clock, timestamp};
use crate::error::{ClinicError, ClinicResult};
use crate::roles::Role;
use crate::store;

/// The user a session acts for. Staff details, not patient data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedInUser {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
}

/// What remains of a session while the screen is locked: who it belongs to, nothing else. The
/// database is closed and its key wiped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockedSession {
    pub user_id: String,
    pub username: String,
    pub full_name: String,
}

#[derive(Debug)]
pub struct Session {
    vault: UnlockedVault,
    audit_key: AuditKey,
    user: SignedInUser,
    actor: Actor,
    clock: Arc<dyn Clock>,
}

/// A database transaction that can only be committed together with its audit entry. Dropping it
/// without committing rolls everything back.
#[derive(Debug)]
pub struct AuditedChange<'s> {
    transaction: rusqlite::Transaction<'s>,
    audit_key: &'s AuditKey,
    actor: &'s Actor,
    clock: &'s dyn Clock,
}

impl AuditedChange<'_> {
    pub(crate) fn connection(&self) -> &rusqlite::Connection {
        &self.transaction
    }

    /// Adds an entry inside this transaction (for a change that records more than one event).
    pub fn also_record(&mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        audit::append(&self.transaction, self.audit_key, self.actor, event, timestamp(self.clock.now()))
    }

    /// Adds an entry on behalf of another actor at an earlier time: a failed sign-in that was
    /// buffered while the database was closed.
    pub(crate) fn record_as(
        &mut self,
        actor: &Actor,
        event: &AuditEvent,
        occurred_at: String,
    ) -> ClinicResult<ChainHead> {
        audit::append(&self.transaction, self.audit_key, actor, event, occurred_at)
    }

    /// Appends the audit entry and commits the change with it, atomically.
    pub fn commit(mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        let head = self.also_record(event)?;
        self.transaction.commit()?;
        Ok(head)
    }
}

impl Session {
    pub(crate) fn start(
        vault: UnlockedVault,
        user: SignedInUser,
        workstation_id: &str,
        clock: Arc<dyn Clock>,
    ) -> Session {
        let audit_key = AuditKey::from_vault(&vault);
        let actor = Actor {
            user_id: Some(user.id.clone()),
            username: Some(user.username.clone()),
            roles: crate::roles::roles_text(&user.roles),
            workstation_id: workstation_id.to_owned(),
        };
        Session { vault, audit_key, user, actor, clock }
    }

    pub fn user(&self) -> &SignedInUser {
        &self.user
    }

    pub fn vault_id(&self) -> &str {
        self.vault.vault_id()
    }

    pub(crate) fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Starts a change that must be committed with its audit entry.
    pub fn begin_change(&mut self) -> ClinicResult<AuditedChange<'_>> {
        let transaction =
            self.vault.connection_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Ok(AuditedChange { transaction, audit_key: &self.audit_key, actor: &self.actor, clock: self.clock.as_ref() })
    }

    /// Records an event that changes nothing else (a view, a lock, a denial).
    pub fn record(&mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        self.begin_change()?.commit(event)
    }

    /// The practice's name, for the header of the app.
    pub fn practice_name(&self) -> ClinicResult<String> {
        store::practice_name(self.vault.connection())?.ok_or(ClinicError::Internal("The practice record is missing."))
    }

    /// The database's schema version.
    pub fn schema_version(&self) -> ClinicResult<u32> {
        let version: i64 = self.vault.connection().query_row("PRAGMA user_version", [], |row| row.get(0))?;
        u32::try_from(version).map_err(|_| ClinicError::Internal("The schema version is not valid."))
    }

    /// Verifies the whole audit chain and records that it was verified (and the result).
    pub fn verify_audit_chain(&mut self) -> ClinicResult<ChainVerification> {
        let verification = audit::verify_chain(self.vault.connection(), &self.audit_key)?;
        let outcome = if verification.is_intact() { audit::Outcome::Success } else { audit::Outcome::Failed };
        let mut event = AuditEvent::new(AuditAction::AuditVerification, outcome).category("audit_trail");
        if let ChainVerification::Broken { seq, .. } = &verification {
            event = event.detail("first_bad_entry", audit::Detail::Identifier(seq.to_string()));
        }
        self.record(&event)?;
        Ok(verification)
    }

    /// Locks the screen: records the lock, closes the database and wipes the key.
    pub fn lock(mut self) -> ClinicResult<LockedSession> {
        self.record(&AuditEvent::success(AuditAction::Lock))?;
        let locked = LockedSession {
            user_id: self.user.id.clone(),
            username: self.user.username.clone(),
            full_name: self.user.full_name.clone(),
        };
        self.vault.lock()?;
        Ok(locked)
    }

    /// Ends the session: records the log-off, closes the database and wipes the key.
    pub fn log_out(mut self) -> ClinicResult<()> {
        self.record(&AuditEvent::success(AuditAction::Logout))?;
        self.vault.lock()?;
        Ok(())
    }
}
