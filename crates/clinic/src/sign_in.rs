//! Signing in with a password, unlocking a locked screen, and recovering access with the
//! recovery key. Failures are buffered outside the database (authenticated, see
//! `sign_in_guard/`) and reach the audit chain at the next successful sign-in, which also checks
//! the chain against its anchor, reports what the vault found wrong outside the database, and
//! then anchors the chain where it now stands.

use chartkeep_vault::{
    AnchorState, KdfChoice, Password, RecoveryKey, SlotHolder, UnlockedVault, VaultError, open_with_recovery_key,
    read_key_slots, unlock_with_password,
};

use crate::audit::{self, AuditAction, AuditEvent, AuditKey, Detail, IntegrityAlertKind, UnlockCheck};
use crate::audit_integrity::{raise_alert, record_check};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::session::{LockedSession, Session, SignedInUser};
use crate::sign_in_guard::{self, EventsToRecord, FailureReason, SignInEvent, UNKNOWN_ACCOUNT, events};
use crate::store;
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
                    self.buffer_event(FailureReason::WrongRecoveryKey, None);
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
        // The keyring entry may have been made anew: no anchor to miss, and no MAC of the old
        // device secret to check the buffered events with.
        let check = self.check_chain_against_anchor(&vault, true)?;
        let events = sign_in_guard::unverifiable_events(self.data_dir());
        let mut session = Session::start(vault, user, self)?;
        let mut change = session.begin_opening_change()?;
        record_buffered_events(&mut change, self, &events)?;
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
        events::clear(&self.data_dir().failed_logins());
        // The throttle's counters were MAC'd with the old device secret: they start afresh.
        let _ = std::fs::remove_file(self.data_dir().sign_in_throttle());
        session.anchor_chain();
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
        let account = self.throttle_account(username);
        let guard = self.sign_in_guard();
        if let Some(guard) = &guard
            && let Err(refusal) = guard.check(&account, self.clock.now())
        {
            if matches!(refusal, ClinicError::AccountLocked { .. } | ClinicError::TooManyAttempts { .. }) {
                self.buffer_event(FailureReason::Throttled, Some(username));
            }
            return Err(refusal);
        }
        let vault = match unlock_with_password(&self.claim, self.keyring.as_ref(), username, password) {
            Ok(vault) => vault,
            Err(error) => {
                if let (VaultError::WrongCredentials, Some(guard)) = (&error, &guard)
                    && let Err(counting) = guard.record_failure(&account, self.clock.now())
                {
                    tracing::error!(%counting, "a wrong password could not be counted");
                }
                let reason = match error {
                    VaultError::WrongCredentials => Some(FailureReason::WrongCredentials),
                    VaultError::DeviceSecretMissing => Some(FailureReason::DeviceSecretMissing),
                    VaultError::DeviceSecretMismatch => Some(FailureReason::DeviceSecretMismatch),
                    _ => None,
                };
                if let Some(reason) = reason {
                    self.buffer_event(reason, Some(username));
                }
                return Err(error.into());
            }
        };
        let session = self.start_session(vault, username, action, ask_second_factor)?;
        // With a second factor still to give, the password alone proves nothing yet: the
        // counters are cleared when the code is accepted.
        if !matches!(session.second_factor_gate(), crate::SecondFactorGate::CodeRequired { .. })
            && let Some(guard) = &guard
            && let Err(error) = guard.clear(&account, self.clock.now())
        {
            tracing::error!(%error, "the sign-in counters could not be cleared");
        }
        Ok(session)
    }

    /// The throttle counter an attempt counts against: the username when it belongs to the
    /// practice, otherwise one shared bucket (typed text is never stored).
    fn throttle_account(&self, username: &str) -> String {
        let known = read_key_slots(self.data_dir()).is_ok_and(|slots| slots.find_user(username).is_some());
        if known { username.to_owned() } else { UNKNOWN_ACCOUNT.to_owned() }
    }

    fn start_session(
        &self,
        mut vault: UnlockedVault,
        username: &str,
        action: AuditAction,
        ask_second_factor: bool,
    ) -> ClinicResult<Session> {
        let findings = vault.take_trust_findings();
        let record = store::user_by_username(vault.connection(), username)?;
        let Some(record) = record.filter(|record| record.active) else {
            vault.lock()?;
            self.buffer_event(FailureReason::InactiveUser, Some(username));
            return Err(VaultError::WrongCredentials.into());
        };
        drop_slots_of_users_the_database_lacks(&mut vault)?;
        let user_id = record.id.clone();
        let must_change_password = record.must_change_password;
        let user =
            SignedInUser { id: record.id, username: record.username, full_name: record.full_name, roles: record.roles };
        let check = self.check_chain_against_anchor(&vault, false)?;
        let guard = self.sign_in_guard();
        let events = match &guard {
            Some(guard) => guard.events_to_record()?,
            None => sign_in_guard::unverifiable_events(self.data_dir()),
        };
        let mut session = Session::start(vault, user, self)?;
        let mut change = session.begin_opening_change()?;
        let flushed = record_buffered_events(&mut change, self, &events)?;
        let now = timestamp(self.clock.now());
        record_check(&mut change, &check, &now)?;
        record_trust_findings(&mut change, &findings, &now)?;
        change.commit(
            &AuditEvent::success(action)
                .object("user", user_id)
                .detail("failed_attempts_recorded", Detail::Count(flushed)),
        )?;
        match &guard {
            Some(guard) => guard.events_recorded(events.given_out_through),
            None => events::clear(&self.data_dir().failed_logins()),
        }
        // The anchor follows the sign-in at once: a crash from here on cannot hide this session.
        session.anchor_chain();
        chartkeep_vault::failpoints::hit("sign-in.anchored")?;
        if must_change_password {
            session.require_password_change();
        }
        if ask_second_factor {
            session.decide_second_factor_gate()?;
        }
        Ok(session)
    }

    /// Compares the chain with the anchor this PC's keyring holds, verifying only what was
    /// written since (the whole chain when there is none, raising an alert when there should
    /// have been one).
    fn check_chain_against_anchor(
        &self,
        vault: &UnlockedVault,
        anchor_may_be_absent: bool,
    ) -> ClinicResult<UnlockCheck> {
        // A keyring that gives the device secret but not the anchor is treated as one whose
        // anchor does not read: an alert, and the whole chain verified.
        let (anchor, restored) = match self.keyring.read(vault.vault_id()) {
            Ok(Some(entry)) => (entry.anchor, entry.restored_anchor),
            Ok(None) => (AnchorState::Absent, None),
            Err(error) => {
                tracing::error!(%error, "the audit chain's anchor could not be read");
                (AnchorState::Unreadable, None)
            }
        };
        let key = AuditKey::from_vault(vault)?;
        audit::check_against_anchor(vault.connection(), &key, &anchor, restored.as_ref(), anchor_may_be_absent)
    }

    /// Ends a locked session from the lock screen ("Switch user"). The database is already
    /// closed, so the log-out is buffered and reaches the chain at the next unlock.
    pub fn end_locked_session(&self, locked: &LockedSession) {
        self.buffer_event(FailureReason::SignedOutFromLockScreen, Some(&locked.username));
    }

    /// Buffers an event of the closed database: numbered and authenticated when this PC's
    /// keyring entry is at hand, otherwise marked as unauthenticated. Only a username that
    /// belongs to the practice is kept.
    fn buffer_event(&self, reason: FailureReason, username: Option<&str>) {
        let known =
            username.filter(|name| read_key_slots(self.data_dir()).is_ok_and(|slots| slots.find_user(name).is_some()));
        let now = self.clock.now();
        let buffered = match self.sign_in_guard() {
            Some(guard) => guard.buffer(reason, known, now),
            None => {
                let event = SignInEvent {
                    id: uuid::Uuid::new_v4().to_string(),
                    at: timestamp(now),
                    username: known.map(str::to_owned),
                    reason,
                };
                events::record_unauthenticated(&self.data_dir().failed_logins(), event);
                Ok(())
            }
        };
        if let Err(error) = buffered {
            tracing::error!(%error, "a sign-in event could not be buffered");
        }
    }
}

/// Drops the key slots of users the database does not have: left by a restore of an older
/// backup, or by a user's creation cut off between its slot and its row.
fn drop_slots_of_users_the_database_lacks(vault: &mut UnlockedVault) -> ClinicResult<()> {
    let known: Vec<String> = store::all_users(vault.connection())?.into_iter().map(|user| user.id).collect();
    let strangers: Vec<String> = vault
        .key_slots()
        .users()
        .iter()
        .filter(|slot| !known.contains(&slot.user_id))
        .map(|slot| slot.user_id.clone())
        .collect();
    for user_id in strangers {
        vault.remove_slot(&user_id)?;
        tracing::info!("a key slot of a user the database does not have was removed");
    }
    Ok(())
}

/// Appends buffered events to the chain (each once) inside the sign-in's transaction, and raises
/// an alert for what was forged or removed. Returns how many authentic events were recorded.
fn record_buffered_events(
    change: &mut crate::session::AuditedChange<'_>,
    workstation: &Workstation,
    events: &EventsToRecord,
) -> ClinicResult<u64> {
    let mut count = 0;
    let now = timestamp(workstation.clock.now());
    let actor_workstation = change.actor_workstation_id().to_owned();
    for event in &events.authentic {
        if store::failed_login_recorded(change.connection(), &event.id)? {
            continue;
        }
        let user_id = match &event.username {
            Some(name) => store::user_by_username(change.connection(), name)?.map(|user| user.id),
            None => None,
        };
        let actor = audit::Actor {
            user_id,
            username: event.username.clone(),
            roles: String::new(),
            workstation_id: actor_workstation.clone(),
        };
        if event.reason == FailureReason::ThrottleStateTampered {
            raise_alert(change, IntegrityAlertKind::ThrottleStateTampered, None, &event.at)?;
        }
        let entry = match event.reason {
            FailureReason::SignedOutFromLockScreen => AuditEvent::success(AuditAction::Logout),
            _ => AuditEvent::new(AuditAction::LoginFailed, audit::Outcome::Failed),
        }
        .object("failed_login", &event.id)
        .reason(event.reason.as_str());
        change.record_as(&actor, &entry, event.at.clone())?;
        count += 1;
    }
    if events.forged > 0 {
        raise_alert(change, IntegrityAlertKind::SignInEventsForged { count: events.forged }, None, &now)?;
    }
    if events.removed > 0 {
        raise_alert(change, IntegrityAlertKind::SignInEventsRemoved { count: events.removed }, None, &now)?;
    }
    if events.unauthenticated > 0 {
        let entry = AuditEvent::new(AuditAction::LoginFailed, audit::Outcome::Failed)
            .reason("unauthenticated_buffer_lines")
            .detail("count", Detail::Count(events.unauthenticated));
        change.also_record(&entry)?;
    }
    Ok(count)
}

/// Raises an alert for each thing the vault found wrong outside the database, and records the
/// rest (an upgrade that recorded the key slots, a rotation completed or cut off).
fn record_trust_findings(
    change: &mut crate::session::AuditedChange<'_>,
    findings: &[chartkeep_vault::TrustFinding],
    now: &str,
) -> ClinicResult<()> {
    for finding in findings {
        match IntegrityAlertKind::of_trust_finding(*finding) {
            Some(alert) => raise_alert(change, alert, None, now)?,
            None => {
                let reason = match finding {
                    chartkeep_vault::TrustFinding::KeySlotsRecordedOnUpgrade => "key_slots_recorded_on_upgrade",
                    chartkeep_vault::TrustFinding::KeyRotationCompleted => "key_rotation_completed",
                    _ => "key_rotation_interrupted",
                };
                if *finding == chartkeep_vault::TrustFinding::KeyRotationInterrupted {
                    store::rotation_needed(change.connection(), "interrupted", now)?;
                }
                change.also_record(&AuditEvent::success(AuditAction::DatabaseKeyRotated).reason(reason))?;
            }
        }
    }
    Ok(())
}
