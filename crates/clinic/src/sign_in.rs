//! Signing in with a password, unlocking a locked screen, and recovering access with the
//! recovery key. Failures are buffered outside the database and reach the audit chain at the
//! next successful sign-in.

use chartkeep_vault::{
    KdfChoice, Password, RecoveryKey, SlotHolder, UnlockedVault, VaultError, open_with_recovery_key, read_key_slots,
    unlock_with_password,
};

use crate::audit::{self, Actor, AuditAction, AuditEvent, AuditKey, Detail, Outcome, UnlockCheck};
use crate::audit_integrity::record_check;
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::failed_logins::{self, FailedLogin, FailureReason};
use crate::session::{LockedSession, Session, SignedInUser};
use crate::store;
use crate::throttle;
use crate::validation::check_new_password;
use crate::workstation::Workstation;

impl Workstation {
    /// Signs a user in: their password unseals their key slot, which opens the database.
    pub fn log_in(&self, username: &str, password: &Password) -> ClinicResult<Session> {
        let username = username.trim().to_lowercase();
        self.open_session(&username, password, AuditAction::Login, true)
    }

    /// Unlocks a locked screen for the same user.
    pub fn unlock(&self, locked: &LockedSession, password: &Password) -> ClinicResult<Session> {
        self.open_session(&locked.username, password, AuditAction::Unlock, !locked.second_factor_given)
    }

    /// Regains access with the recovery key when this PC's keyring entry is gone (or the owner's
    /// password is forgotten): gives this PC a fresh device secret and the owner a new password.
    /// Every other user's key slot is dropped with the old device secret; the owner resets them.
    pub fn recover(
        &self,
        recovery_key: &RecoveryKey,
        new_password: &Password,
        kdf: KdfChoice,
    ) -> ClinicResult<Session> {
        check_new_password(new_password, None)?;
        let params = kdf.resolve()?;
        let recovered = match open_with_recovery_key(&self.claim, recovery_key) {
            Ok(recovered) => recovered,
            Err(error) => {
                if matches!(error, VaultError::RecoveryKeyWrong | VaultError::RecoveryKeyMalformed) {
                    self.buffer_failure(None, FailureReason::WrongRecoveryKey);
                }
                return Err(error.into());
            }
        };
        self.bind_recovered_vault(recovered, new_password, params, None)
    }

    /// Gives this PC a fresh device secret, the owner a new password, and signs the owner in,
    /// recording the recovery. For a restore, `restore_event` is recorded with it, and the
    /// restored chain's head becomes the anchor (an anchor left by an older database of the
    /// practice on this PC would otherwise raise a false alert).
    pub(crate) fn bind_recovered_vault(
        &self,
        recovered: chartkeep_vault::RecoveredVault,
        new_password: &Password,
        params: chartkeep_vault::KdfParams,
        restore_event: Option<AuditEvent>,
    ) -> ClinicResult<Session> {
        // Everything is checked before this PC's keyring and slot file change.
        let owner = store::first_active_owner(recovered.connection())?
            .ok_or(ClinicError::Internal("The practice has no active owner to recover."))?;
        check_new_password(new_password, Some(&owner.username))?;
        let holder = SlotHolder { user_id: &owner.id, username: &owner.username, password: new_password };
        let vault = recovered.bind_to_this_pc(self.keyring.as_ref(), holder, params)?;
        if restore_event.is_some()
            && let Some(head) = audit::chain_head(vault.connection())?
        {
            self.keyring.store_anchor(vault.vault_id(), &chartkeep_vault::ChainAnchor::from(&head))?;
        }
        let users = store::count_users(vault.connection())?;
        let user =
            SignedInUser { id: owner.id, username: owner.username, full_name: owner.full_name, roles: owner.roles };
        let check = self.check_chain_against_anchor(&vault)?;
        let mut session = Session::start(vault, user, self)?;
        let mut change = session.begin_opening_change()?;
        flush_failed_logins(&mut change, self)?;
        record_check(&mut change, &check, &timestamp(self.clock.now()))?;
        if let Some(event) = &restore_event {
            change.also_record(event)?;
        }
        change.also_record(
            &AuditEvent::success(AuditAction::RecoveryKeyUsed)
                .reason("recovery_key")
                .detail("user_slots_reset", Detail::Count(users.saturating_sub(1))),
        )?;
        change.commit(&AuditEvent::success(AuditAction::Login))?;
        failed_logins::clear(&self.data_dir().failed_logins());
        tracing::warn!("access was recovered with the recovery key; other users need new passwords");
        Ok(session)
    }

    fn open_session(
        &self,
        username: &str,
        password: &Password,
        action: AuditAction,
        ask_second_factor: bool,
    ) -> ClinicResult<Session> {
        let throttle_file = self.data_dir().sign_in_throttle();
        let account = self.throttle_account(username);
        if let Err(refusal) = throttle::check(&throttle_file, &account, self.clock.now()) {
            self.buffer_failure(Some(username), FailureReason::Throttled);
            return Err(refusal);
        }
        let vault = match unlock_with_password(&self.claim, self.keyring.as_ref(), username, password) {
            Ok(vault) => vault,
            Err(error) => {
                if matches!(error, VaultError::WrongCredentials) {
                    throttle::record_failure(&throttle_file, &account, self.clock.now());
                }
                let reason = match error {
                    VaultError::WrongCredentials => Some(FailureReason::WrongCredentials),
                    VaultError::DeviceSecretMissing => Some(FailureReason::DeviceSecretMissing),
                    VaultError::DeviceSecretMismatch => Some(FailureReason::DeviceSecretMismatch),
                    _ => None,
                };
                if let Some(reason) = reason {
                    self.buffer_failure(Some(username), reason);
                }
                return Err(error.into());
            }
        };
        let session = self.start_session(vault, username, action, ask_second_factor)?;
        // With a second factor still to give, the password alone proves nothing yet: the
        // counters are cleared when the code is accepted.
        if !matches!(session.second_factor_gate(), crate::SecondFactorGate::CodeRequired { .. }) {
            throttle::clear(&throttle_file, &account);
        }
        Ok(session)
    }

    /// The throttle counter an attempt counts against: the username when it belongs to the
    /// practice, otherwise one shared bucket (typed text is never stored).
    fn throttle_account(&self, username: &str) -> String {
        let known = read_key_slots(self.data_dir()).is_ok_and(|slots| slots.find_user(username).is_some());
        if known { username.to_owned() } else { throttle::UNKNOWN_ACCOUNT.to_owned() }
    }

    fn start_session(
        &self,
        vault: UnlockedVault,
        username: &str,
        action: AuditAction,
        ask_second_factor: bool,
    ) -> ClinicResult<Session> {
        let record = store::user_by_username(vault.connection(), username)?;
        let Some(record) = record.filter(|record| record.active) else {
            vault.lock()?;
            self.buffer_failure(Some(username), FailureReason::InactiveUser);
            return Err(VaultError::WrongCredentials.into());
        };
        let user_id = record.id.clone();
        let must_change_password = record.must_change_password;
        let user =
            SignedInUser { id: record.id, username: record.username, full_name: record.full_name, roles: record.roles };
        let check = self.check_chain_against_anchor(&vault)?;
        let mut session = Session::start(vault, user, self)?;
        let mut change = session.begin_opening_change()?;
        let flushed = flush_failed_logins(&mut change, self)?;
        record_check(&mut change, &check, &timestamp(self.clock.now()))?;
        change.commit(
            &AuditEvent::success(action)
                .object("user", user_id)
                .detail("failed_attempts_recorded", Detail::Count(flushed)),
        )?;
        failed_logins::clear(&self.data_dir().failed_logins());
        if must_change_password {
            session.require_password_change();
        }
        if ask_second_factor {
            session.decide_second_factor_gate()?;
        }
        Ok(session)
    }

    /// Compares the chain with the anchor this PC's keyring holds, verifying only what was
    /// written since (the whole chain when there is no anchor).
    fn check_chain_against_anchor(&self, vault: &UnlockedVault) -> ClinicResult<UnlockCheck> {
        // A keyring that holds the device secret but cannot give the anchor counts as no anchor.
        let anchor = self.keyring.load_anchor(vault.vault_id()).unwrap_or_else(|error| {
            tracing::warn!(%error, "the audit chain's anchor could not be read; verifying the whole chain");
            None
        });
        audit::check_against_anchor(vault.connection(), &AuditKey::from_vault(vault), anchor.as_ref())
    }

    /// Ends a locked session from the lock screen ("Switch user"). The database is already
    /// closed, so the log-out is buffered and reaches the chain at the next unlock.
    pub fn end_locked_session(&self, locked: &LockedSession) {
        self.buffer_failure(Some(&locked.username), FailureReason::SignedOutFromLockScreen);
    }

    /// Buffers a failure. Only a username that belongs to the practice is kept.
    fn buffer_failure(&self, username: Option<&str>, reason: FailureReason) {
        let known =
            username.filter(|name| read_key_slots(self.data_dir()).is_ok_and(|slots| slots.find_user(name).is_some()));
        let failure = FailedLogin {
            id: uuid::Uuid::new_v4().to_string(),
            at: timestamp(self.clock.now()),
            username: known.map(str::to_owned),
            reason,
        };
        failed_logins::record(&self.data_dir().failed_logins(), &failure);
    }
}

/// Appends buffered failures to the chain (each once), inside the sign-in's transaction.
fn flush_failed_logins(change: &mut crate::session::AuditedChange<'_>, workstation: &Workstation) -> ClinicResult<u64> {
    let (failures, damaged) = failed_logins::read_all(&workstation.data_dir().failed_logins());
    let mut count = 0;
    for failure in failures {
        let already: bool = change.connection().query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE object_type = 'failed_login' AND object_id = ?1)",
            [&failure.id],
            |row| row.get(0),
        )?;
        if already {
            continue;
        }
        let user_id = match &failure.username {
            Some(name) => store::user_by_username(change.connection(), name)?.map(|user| user.id),
            None => None,
        };
        let actor = Actor {
            user_id,
            username: failure.username.clone(),
            roles: String::new(),
            workstation_id: workstation.id.clone(),
        };
        let event = match failure.reason {
            FailureReason::SignedOutFromLockScreen => AuditEvent::success(AuditAction::Logout),
            _ => AuditEvent::new(AuditAction::LoginFailed, Outcome::Failed),
        }
        .object("failed_login", &failure.id)
        .reason(failure.reason.as_str());
        change.record_as(&actor, &event, failure.at)?;
        count += 1;
    }
    if damaged > 0 {
        let event = AuditEvent::new(AuditAction::LoginFailed, Outcome::Failed)
            .reason("unreadable_buffer_lines")
            .detail("count", Detail::Count(damaged));
        change.also_record(&event)?;
    }
    Ok(count)
}
