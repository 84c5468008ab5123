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
        let present: std::collections::BTreeSet<u64> = authentic.iter().map(|(seq, _)| *seq).collect();
        let removed = (recorded_through + 1..=given_out_through).filter(|seq| !present.contains(seq)).count() as u64;
        let authentic = authentic
            .into_iter()
            .filter(|(seq, _)| *seq > recorded_through && *seq <= given_out_through)
            .map(|(_, event)| event)
            .collect();
        Ok(EventsToRecord { authentic, forged, unauthenticated, removed, given_out_through })
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
