//! The two files sign-in relies on while the database is closed: the throttle's counters
//! (`throttle.rs`) and the buffered sign-in events (`events.rs`). Both are authenticated with keys
//! derived from this PC's device secret, which someone who can only reach the data folder does
//! not have; and the keyring entry, which they cannot change either, keeps the digests of the
//! throttle's present state and the count of event numbers given out. So a file that is edited,
//! forged, rolled back or deleted is noticed: the throttle then locks every account for the
//! lockout time, and the next sign-in raises an integrity alert and records it.
//!
//! Someone who can also read the unlocked keyring can compute these MACs: against them the
//! throttle protects nothing (they could guess offline, at Argon2id's pace, anyway).

pub(crate) mod events;
mod throttle;

use std::sync::Mutex;

use chartkeep_vault::{DataDir, DeviceSecret, DeviceSecretStore, KeyringEntry};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

pub use events::{FailureReason, SignInEvent};
pub use throttle::{FAILURE_WINDOW, FREE_FAILURES, LOCKOUT, LOCKOUT_FAILURES, UNKNOWN_ACCOUNT};

use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use events::BufferedEvents;
use throttle::ThrottleState;

const THROTTLE_MAC_PURPOSE: &str = "chartkeep/sign-in-throttle/v1";

/// A throttle file larger than this is not read: it was tampered with.
const THROTTLE_FILE_LIMIT: u64 = 1024 * 1024;

/// The throttle's read-modify-write runs one at a time in this process.
static THROTTLE_WRITES: Mutex<()> = Mutex::new(());

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThrottleFile {
    state: ThrottleState,
    mac: String,
}

/// The sign-in files of one vault on this PC, with the device secret that authenticates them.
pub(crate) struct SignInGuard<'a> {
    data_dir: &'a DataDir,
    keyring: &'a dyn DeviceSecretStore,
    vault_id: String,
    device_secret: DeviceSecret,
}

impl std::fmt::Debug for SignInGuard<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInGuard").field("vault_id", &self.vault_id).finish_non_exhaustive()
    }
}

/// What the buffer held for the audit trail, and what it should have held.
#[derive(Debug, Default)]
pub(crate) struct EventsToRecord {
    pub authentic: Vec<SignInEvent>,
    pub forged: u64,
    pub unauthenticated: u64,
    /// Numbers given out that neither the buffer nor the audit trail holds.
    pub removed: u64,
    /// The highest number given out so far (all of them are accounted for once recorded).
    pub given_out_through: u64,
}

impl<'a> SignInGuard<'a> {
    pub fn new(
        data_dir: &'a DataDir,
        keyring: &'a dyn DeviceSecretStore,
        vault_id: &str,
        device_secret: DeviceSecret,
    ) -> Self {
        SignInGuard { data_dir, keyring, vault_id: vault_id.to_owned(), device_secret }
    }

    fn entry(&self) -> ClinicResult<KeyringEntry> {
        Ok(self.keyring.read(&self.vault_id)?.ok_or(chartkeep_vault::VaultError::DeviceSecretMissing)?)
    }

    fn throttle_mac(&self, state: &ThrottleState) -> String {
        let key = self.device_secret.derive_key(THROTTLE_MAC_PURPOSE);
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_slice())
            .unwrap_or_else(|_| unreachable!("HMAC-SHA256 accepts a 32-byte key"));
        mac.update(THROTTLE_MAC_PURPOSE.as_bytes());
        mac.update(&serde_json::to_vec(state).unwrap_or_default());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The throttle's state if the file can be trusted (with its digest), or `Err(())` when it
    /// was edited, forged, rolled back or deleted.
    fn load_throttle(&self, entry: &KeyringEntry) -> Result<(ThrottleState, Option<String>), ()> {
        let path = self.data_dir.sign_in_throttle();
        let expected = &entry.throttle_digests;
        if expected.is_empty() {
            // Nothing was recorded with this device secret yet (a new practice, an entry made anew
            // by a recovery, an upgrade): whatever the file says cannot be vouched for, and no
            // count can have been lost. It starts afresh.
            return Ok((ThrottleState::default(), None));
        }
        let Ok(meta) = std::fs::metadata(&path) else { return Err(()) };
        if meta.len() > THROTTLE_FILE_LIMIT {
            return Err(());
        }
        let Some(file) =
            std::fs::read(&path).ok().and_then(|bytes| serde_json::from_slice::<ThrottleFile>(&bytes).ok())
        else {
            return Err(());
        };
        let mac = self.throttle_mac(&file.state);
        if subtle_equal(&mac, &file.mac) && expected.contains(&mac) { Ok((file.state, Some(mac))) } else { Err(()) }
    }

    /// Reads the throttle's state, applies `change`, and writes it back when it changed. A state
    /// that cannot be trusted is replaced by "everyone locked out", and the event buffered.
    fn with_throttle<T>(&self, now: OffsetDateTime, change: impl FnOnce(&mut ThrottleState) -> T) -> ClinicResult<T> {
        let _one_at_a_time = THROTTLE_WRITES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = self.entry()?;
        let (mut state, digest, tampered) = match self.load_throttle(&entry) {
            Ok((state, digest)) => (state, digest, false),
            Err(()) => (ThrottleState::everyone_locked(now), None, true),
        };
        if tampered {
            tracing::error!("the sign-in throttle's file was tampered with; every account is locked for now");
            self.buffer(FailureReason::ThrottleStateTampered, None, now)?;
        }
        let before = state.clone();
        let value = change(&mut state);
        if tampered || state != before {
            let mac = self.throttle_mac(&state);
            let digests: Vec<String> = digest.into_iter().chain(std::iter::once(mac.clone())).collect();
            self.keyring.update(&self.vault_id, &mut |entry| entry.throttle_digests = digests.clone())?;
            let bytes = serde_json::to_vec(&ThrottleFile { state, mac })
                .map_err(|_| ClinicError::Internal("The throttle's state could not be encoded."))?;
            chartkeep_vault::write_atomically(&self.data_dir.sign_in_throttle(), &bytes)?;
        }
        Ok(value)
    }

    /// Refuses an attempt on a locked account or one that must still wait.
    pub fn check(&self, account: &str, now: OffsetDateTime) -> ClinicResult<()> {
        self.with_throttle(now, |state| state.check(account, now))?
    }

    /// Counts a failure; returns whether it locked the account.
    pub fn record_failure(&self, account: &str, now: OffsetDateTime) -> ClinicResult<bool> {
        self.with_throttle(now, |state| state.record_failure(account, now))
    }

    /// Forgets an account's failures and lockout.
    pub fn clear(&self, account: &str, now: OffsetDateTime) -> ClinicResult<()> {
        self.with_throttle(now, |state| state.clear(account))
    }

    /// Whether an account is locked out now (for the Owner's user list).
    pub fn is_locked(&self, account: &str, now: OffsetDateTime) -> bool {
        self.with_throttle(now, |state| state.is_locked(account, now)).unwrap_or(false)
    }

    /// Buffers an event of the closed database, numbered and authenticated.
    pub fn buffer(&self, reason: FailureReason, username: Option<&str>, now: OffsetDateTime) -> ClinicResult<()> {
        let mut seq = 0;
        self.keyring.update(&self.vault_id, &mut |entry| {
            seq = entry.next_sign_in_event;
            entry.next_sign_in_event += 1;
        })?;
        let event = SignInEvent {
            id: uuid::Uuid::new_v4().to_string(),
            at: timestamp(now),
            username: username.map(str::to_owned),
            reason,
        };
        events::record(&self.data_dir.failed_logins(), &self.device_secret, seq, event);
        Ok(())
    }

    /// What the buffer holds for the audit trail, checked against the numbers given out.
    pub fn events_to_record(&self) -> ClinicResult<EventsToRecord> {
        let entry = self.entry()?;
        let BufferedEvents { authentic, forged, unauthenticated } =
            events::read_all(&self.data_dir.failed_logins(), Some(&self.device_secret));
        let given_out_through = entry.next_sign_in_event.saturating_sub(1);
        let recorded_through = entry.sign_in_events_recorded_through;
        // Each number is given out once: a second line with a number already read is a copy of
        // an authentic line (its MAC checks), made by someone who can write the data folder. It
        // is counted as forged and its event is recorded once.
        let mut present = std::collections::BTreeSet::new();
        let mut copies = 0u64;
        let mut to_record = Vec::new();
        for (seq, event) in authentic {
            if !present.insert(seq) {
                copies += 1;
            } else if seq > recorded_through && seq <= given_out_through {
                to_record.push(event);
            }
        }
        // Counted, not walked: the numbers come from the keyring entry, whatever they are.
        let window = given_out_through.saturating_sub(recorded_through);
        let removed =
            window - present.iter().filter(|seq| **seq > recorded_through && **seq <= given_out_through).count() as u64;
        let forged = forged.saturating_add(copies);
        Ok(EventsToRecord { authentic: to_record, forged, unauthenticated, removed, given_out_through })
    }

    /// After the events reached the audit trail: remembers how far, and empties the buffer.
    pub fn events_recorded(&self, through: u64) {
        let remembered = self.keyring.update(&self.vault_id, &mut |entry| {
            entry.sign_in_events_recorded_through = entry.sign_in_events_recorded_through.max(through);
        });
        match remembered {
            Ok(()) => events::clear(&self.data_dir.failed_logins()),
            Err(error) => tracing::error!(%error, "the sign-in events recorded could not be counted in the keyring"),
        }
    }
}

#[cfg(any(test, feature = "fuzzing"))]
impl SignInGuard<'_> {
    /// For the fuzz targets: writes `state` (the throttle's JSON) as a file this PC vouches for,
    /// MAC and digest, as [`SignInGuard::with_throttle`] writes one. `false` when it is no state.
    pub(crate) fn vouch_for_throttle_state(&self, state: &[u8]) -> ClinicResult<bool> {
        let Ok(state) = serde_json::from_slice::<ThrottleState>(state) else { return Ok(false) };
        let mac = self.throttle_mac(&state);
        self.keyring.update(&self.vault_id, &mut |entry| entry.throttle_digests = vec![mac.clone()])?;
        let bytes = serde_json::to_vec(&ThrottleFile { state, mac })
            .map_err(|_| ClinicError::Internal("The throttle's state could not be encoded."))?;
        chartkeep_vault::write_atomically(&self.data_dir.sign_in_throttle(), &bytes)?;
        Ok(true)
    }
}

/// Compares two hex digests in constant time.
fn subtle_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Events that could not be authenticated at all (no device secret at hand): after a recovery
/// gave this PC a new one, every line is counted, none trusted.
pub(crate) fn unverifiable_events(data_dir: &DataDir) -> EventsToRecord {
    let found = events::read_all(&data_dir.failed_logins(), None);
    EventsToRecord {
        authentic: Vec::new(),
        forged: found.forged,
        unauthenticated: found.unauthenticated,
        removed: 0,
        given_out_through: 0,
    }
}

#[cfg(test)]
mod tests {
    use chartkeep_vault::fuzzing::{MemoryKeyring, VAULT_ID, device_secret, scratch_folder};

    use super::*;

    /// Found by the `sign_in_events` fuzz target: a copied authentic line (same number, same
    /// MAC) was handed to the audit trail twice.
    #[test]
    fn a_copied_failed_sign_in_line_is_recorded_once_and_counted_as_forged() {
        let folder = scratch_folder();
        let data_dir = DataDir::at(folder.path());
        let keyring = MemoryKeyring::default();
        keyring.write(VAULT_ID, &KeyringEntry::new(device_secret())).unwrap();
        let guard = SignInGuard::new(&data_dir, &keyring, VAULT_ID, device_secret());
        let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        guard.buffer(FailureReason::WrongCredentials, Some("dana"), now).unwrap();
        let line = std::fs::read_to_string(data_dir.failed_logins()).unwrap();
        std::fs::write(data_dir.failed_logins(), line.repeat(3)).unwrap();

        let events = guard.events_to_record().unwrap();
        assert_eq!(events.authentic.len(), 1, "a copied line is recorded once");
        assert_eq!((events.forged, events.removed), (2, 0));
    }

    /// Found by the `sign_in_events` fuzz target: counters at the end of their range in the
    /// keyring entry overflowed (a panic in a debug build) and a wide window was walked number
    /// by number.
    #[test]
    fn counters_at_the_ends_of_their_range_are_counted_without_overflow() {
        let folder = scratch_folder();
        let data_dir = DataDir::at(folder.path());
        for (next, recorded, removed) in [(u64::MAX, u64::MAX, 0), (u64::MAX, 0, u64::MAX - 1), (1, u64::MAX, 0)] {
            let keyring = MemoryKeyring::default();
            let mut entry = KeyringEntry::new(device_secret());
            (entry.next_sign_in_event, entry.sign_in_events_recorded_through) = (next, recorded);
            keyring.write(VAULT_ID, &entry).unwrap();
            let guard = SignInGuard::new(&data_dir, &keyring, VAULT_ID, device_secret());
            let events = guard.events_to_record().unwrap();
            assert_eq!((events.authentic.len(), events.removed), (0, removed), "{next} given, {recorded} recorded");
        }
    }
}
