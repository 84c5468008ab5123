//! A signed-in user's session: the unlocked vault, the audit key, who is acting, and since when.
//! Every use case takes a `Session` and asks it for an [`Authorized`] handle (see
//! `authorization.rs`), the only way to the database after sign-in; every change goes through an
//! [`AuditedChange`], whose only way to commit takes the audit event.

mod anchoring;
mod authorization;
mod limits;
mod second_factor;
mod store;

use anchoring::AnchorKeeper;
pub use anchoring::{ANCHOR_EVERY, ANCHOR_EVERY_ENTRIES};
pub use authorization::Authorized;
pub use limits::{ABSOLUTE_SESSION_LIMIT, Expiry, SessionLimits};
pub use second_factor::{SecondFactorGate, TotpEnrolment};

use std::sync::Arc;

use chartkeep_vault::{DeviceSecretStore, UnlockedVault};
use serde::Serialize;

use crate::audit::{self, Actor, AuditAction, AuditEvent, AuditKey, ChainHead};
use time::OffsetDateTime;

use crate::clock::{Clock, timestamp};
use crate::error::{ClinicError, ClinicResult};
use crate::roles::Role;

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
    /// Whether the second factor (if any) was given before the lock; if not, unlocking asks
    /// for it, so a lock can never skip it.
    pub second_factor_given: bool,
}

#[derive(Debug)]
pub struct Session {
    vault: UnlockedVault,
    audit_key: AuditKey,
    /// Writes the chain's anchor into the keyring while the session works, and when it ends.
    anchor: AnchorKeeper,
    /// The keyring, for the sign-in files (the throttle counts wrong passwords in a session).
    keyring: Arc<dyn DeviceSecretStore>,
    user: SignedInUser,
    actor: Actor,
    clock: Arc<dyn Clock>,
    started_at: OffsetDateTime,
    last_activity: OffsetDateTime,
    limits: SessionLimits,
    /// Set once the session has run out; from then on it only refuses.
    expired: bool,
    /// The user still signs in with a temporary password and must choose their own first.
    must_change_password: bool,
    second_factor: SecondFactorGate,
    /// A TOTP secret shown for enrolment, kept until a first code confirms it.
    pending_enrolment: Option<zeroize::Zeroizing<Vec<u8>>>,
}

/// A database transaction that can only be committed together with its audit entry. Dropping it
/// without committing rolls everything back.
#[derive(Debug)]
pub struct AuditedChange<'s> {
    transaction: rusqlite::Transaction<'s>,
    audit_key: &'s AuditKey,
    anchor: &'s AnchorKeeper,
    /// Entries appended in this transaction.
    entries: u32,
    actor: &'s Actor,
    clock: &'s dyn Clock,
    /// Set when the change happens under an emergency access: every entry gets the flag.
    emergency_access_id: Option<String>,
}

impl AuditedChange<'_> {
    pub(crate) fn connection(&self) -> &rusqlite::Connection {
        &self.transaction
    }

    /// This PC's workstation id, as the session's entries record it.
    pub(crate) fn actor_workstation_id(&self) -> &str {
        &self.actor.workstation_id
    }

    /// Adds an entry inside this transaction (for a change that records more than one event).
    pub fn also_record(&mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        self.entries = self.entries.saturating_add(1);
        let at = timestamp(self.clock.now());
        match &self.emergency_access_id {
            Some(id) => {
                let flagged = event.clone().under_emergency_access(id);
                audit::append(&self.transaction, self.audit_key, self.actor, &flagged, at)
            }
            None => audit::append(&self.transaction, self.audit_key, self.actor, event, at),
        }
    }

    /// Adds an entry on behalf of another actor at an earlier time: a failed sign-in that was
    /// buffered while the database was closed.
    pub(crate) fn record_as(
        &mut self,
        actor: &Actor,
        event: &AuditEvent,
        occurred_at: String,
    ) -> ClinicResult<ChainHead> {
        self.entries = self.entries.saturating_add(1);
        audit::append(&self.transaction, self.audit_key, actor, event, occurred_at)
    }

    /// The benchmark's bulk append: the entries are the change, so there is nothing else to
    /// record.
    #[cfg(feature = "bench")]
    pub(crate) fn commit_appended_entries(self) -> ClinicResult<()> {
        Ok(self.transaction.commit()?)
    }

    #[cfg(feature = "bench")]
    pub(crate) fn audit_key(&self) -> &AuditKey {
        self.audit_key
    }

    /// Appends the audit entry and commits the change with it, atomically; the chain's anchor
    /// follows when it is due.
    pub fn commit(mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        let head = self.also_record(event)?;
        chartkeep_vault::failpoints::hit("audit.before-commit")?;
        self.transaction.commit()?;
        self.anchor.committed(&head, self.entries);
        Ok(head)
    }
}

impl Session {
    pub(crate) fn start(
        vault: UnlockedVault,
        user: SignedInUser,
        workstation: &crate::Workstation,
    ) -> ClinicResult<Session> {
        let (clock, keyring) = (workstation.clock.clone(), workstation.keyring.clone());
        let workstation_id = workstation.workstation_id(vault.vault_id())?;
        let audit_key = AuditKey::from_vault(&vault)?;
        let anchor = AnchorKeeper::new(keyring.clone(), vault.vault_id());
        let actor = Actor {
            user_id: Some(user.id.clone()),
            username: Some(user.username.clone()),
            roles: crate::roles::roles_text(&user.roles),
            workstation_id,
        };
        let limits = crate::store::session_limits(vault.connection(), &user.roles)?;
        let now = clock.now();
        Ok(Session {
            vault,
            audit_key,
            anchor,
            keyring,
            user,
            actor,
            clock,
            started_at: now,
            last_activity: now,
            limits,
            expired: false,
            must_change_password: false,
            second_factor: SecondFactorGate::Passed,
            pending_enrolment: None,
        })
    }

    pub fn user(&self) -> &SignedInUser {
        &self.user
    }

    pub fn vault_id(&self) -> &str {
        self.vault.vault_id()
    }

    /// The practice's data folder, where no file for a person may be written.
    pub fn data_folder(&self) -> &std::path::Path {
        self.vault.data_dir().root()
    }

    pub(crate) fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// This PC's sign-in files for the practice (the throttle counts wrong passwords and codes
    /// given in a session too).
    pub(crate) fn sign_in_guard(&self) -> ClinicResult<crate::sign_in_guard::SignInGuard<'_>> {
        let vault_id = self.vault.vault_id();
        let entry = self.keyring.read(vault_id)?.ok_or(chartkeep_vault::VaultError::DeviceSecretMissing)?;
        Ok(crate::sign_in_guard::SignInGuard::new(
            self.vault.data_dir(),
            self.keyring.as_ref(),
            vault_id,
            entry.device_secret,
        ))
    }

    /// Starts a change that must be committed with its audit entry. Private to the session: use
    /// cases reach it through [`Authorized`]; the entries that open a session use
    /// [`Session::begin_opening_change`].
    fn begin_change(&mut self) -> ClinicResult<AuditedChange<'_>> {
        self.begin_change_under(None)
    }

    fn begin_change_under(&mut self, emergency_access_id: Option<String>) -> ClinicResult<AuditedChange<'_>> {
        let transaction =
            self.vault.connection_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Ok(AuditedChange {
            transaction,
            audit_key: &self.audit_key,
            anchor: &self.anchor,
            entries: 0,
            actor: &self.actor,
            clock: self.clock.as_ref(),
            emergency_access_id,
        })
    }

    /// What a change writes with (the connection, the chain's key, this session's actor), for
    /// the benchmark to repeat a use case's SQL on a plain copy beside the real one.
    #[cfg(feature = "bench")]
    pub(crate) fn bench_writer_parts(&self) -> (&rusqlite::Connection, &AuditKey, &Actor) {
        (self.vault.connection(), &self.audit_key, &self.actor)
    }

    #[cfg(feature = "bench")]
    pub(crate) fn begin_bench_change(&mut self) -> ClinicResult<AuditedChange<'_>> {
        self.begin_change()
    }

    /// Compares the chain with the anchor in the keyring, as an unlock does.
    #[cfg(feature = "bench")]
    pub(crate) fn check_against_stored_anchor(&self) -> ClinicResult<audit::UnlockCheck> {
        let anchor = self.keyring.load_anchor(self.vault.vault_id())?;
        audit::check_against_anchor(self.vault.connection(), &self.audit_key, &anchor, None, false)
    }

    /// The change that opens a session (setup, sign-in, recovery): it records the sign-in
    /// itself, before any permission can apply.
    pub(crate) fn begin_opening_change(&mut self) -> ClinicResult<AuditedChange<'_>> {
        self.begin_change()
    }

    /// Records an event that changes nothing else (a lock, a denial).
    fn record(&mut self, event: &AuditEvent) -> ClinicResult<ChainHead> {
        self.begin_change()?.commit(event)
    }

    /// Ends the session at once after its user's account was locked by wrong passwords given
    /// in it: from now on it only refuses, and the app logs it off.
    pub(crate) fn end_after_lockout(&mut self) {
        self.expired = true;
    }

    pub(crate) fn require_password_change(&mut self) {
        self.must_change_password = true;
    }

    pub(crate) fn password_changed(&mut self) {
        self.must_change_password = false;
    }

    /// Whether the user must replace a temporary password before doing anything else.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// How long this session may stay idle before it ends (the shortest of its roles').
    pub fn idle_timeout(&self) -> time::Duration {
        self.limits.idle
    }

    /// The practice's name, for the header of the app.
    pub fn practice_name(&self) -> ClinicResult<String> {
        crate::store::practice_name(self.vault.connection())?
            .ok_or(ClinicError::Internal("The practice record is missing."))
    }

    /// The database's schema version.
    pub fn schema_version(&self) -> ClinicResult<u32> {
        let version = store::schema_version(self.vault.connection())?;
        u32::try_from(version).map_err(|_| ClinicError::Internal("The schema version is not valid."))
    }

    /// Writes the chain's head into the keyring entry beside the device secret, so the next
    /// unlock notices a database that was rolled back, cut short or replaced. A keyring that
    /// fails now is logged; the next unlock then compares with the previous anchor.
    pub(crate) fn anchor_chain(&self) {
        match audit::chain_head(self.vault.connection()) {
            Ok(Some(head)) => self.anchor.write(&head),
            Ok(None) => {}
            Err(error) => tracing::error!(code = ?error.code(), "the audit chain's head could not be read"),
        }
    }

    /// Anchors the entries committed since the last anchor, if any: the app's timer calls it,
    /// so the last entries of a session that then goes quiet are anchored too.
    pub fn anchor_if_due(&self) {
        if self.anchor.entries_since.get() > 0 {
            self.anchor.write_pending();
        }
    }

    fn locked(&self) -> LockedSession {
        LockedSession {
            user_id: self.user.id.clone(),
            username: self.user.username.clone(),
            full_name: self.user.full_name.clone(),
            second_factor_given: self.second_factor == SecondFactorGate::Passed,
        }
    }

    /// Locks the screen: records the lock, closes the database and wipes the key. A session
    /// that has already run out is logged off automatically instead.
    pub fn lock(mut self) -> ClinicResult<LockedSession> {
        if self.check_live().is_err() {
            return self.log_off_automatically();
        }
        self.record(&AuditEvent::success(AuditAction::Lock))?;
        self.anchor_chain();
        let locked = self.locked();
        self.vault.lock()?;
        Ok(locked)
    }

    /// Ends a session that ran out (idle, absolute limit) or whose user was deactivated:
    /// records the automatic log-off, closes the database and wipes the key. The lock screen
    /// that follows offers to sign in again.
    pub fn log_off_automatically(mut self) -> ClinicResult<LockedSession> {
        let why = self.limits.expiry(self.started_at, self.last_activity, self.clock.now());
        let reason = why.map_or("session_ended", |expiry| expiry.as_str());
        self.record(&AuditEvent::success(AuditAction::AutomaticLogoff).reason(reason))?;
        self.anchor_chain();
        let locked = self.locked();
        self.vault.lock()?;
        Ok(locked)
    }

    /// Appends `event` by this session's user to the chain of another database of this practice
    /// (a restored one, made with the same key), inside that connection's open transaction.
    pub(crate) fn record_into(&self, connection: &rusqlite::Connection, event: &AuditEvent) -> ClinicResult<ChainHead> {
        audit::append(connection, &self.audit_key, &self.actor, event, timestamp(self.clock.now()))
    }

    /// The database connection, to carry the backup settings over into a restored database.
    pub(crate) fn connection_for_restore(&self) -> &rusqlite::Connection {
        self.vault.connection()
    }

    /// Ends the session for a restore, which replaces the database: the vault (still open, for
    /// the swap to close) and the keyring (for the restored chain's anchor).
    pub(crate) fn end_for_restore(self) -> (UnlockedVault, Arc<dyn DeviceSecretStore>) {
        (self.vault, self.keyring)
    }

    /// Ends the session: records the log-off, closes the database and wipes the key.
    pub fn log_out(mut self) -> ClinicResult<()> {
        self.record(&AuditEvent::success(AuditAction::Logout))?;
        self.anchor_chain();
        self.vault.lock()?;
        Ok(())
    }
}
