//! Failed sign-ins happen while the database is closed, so they are buffered in a small file
//! beside it (no patient data: a time, a known username or none, a reason code) and appended to
//! the audit chain at the next successful unlock. The same buffer carries the other events of a
//! closed database: a locked session ended from the lock screen ("Switch user"), and the sign-in
//! throttle's state found tampered with.
//!
//! Each line is numbered and carries an HMAC keyed from this PC's device secret, and the keyring
//! entry counts the numbers given out (`mod.rs`): a line someone wrote, edited or removed is
//! noticed, never recorded as what it claims. A line written while the device secret was not
//! available (the keyring entry missing) carries no MAC: it is counted, and its content is not
//! trusted.

use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use chartkeep_vault::DeviceSecret;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const MAC_PURPOSE: &str = "chartkeep/sign-in-events/v1";

/// More than this many bytes of buffer is not read: the rest counts as forged lines.
const BUFFER_LIMIT: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInEvent {
    /// A random id, so an event reaches the chain once even if clearing the file fails.
    pub id: String,
    pub at: String,
    /// The username only when it belongs to a user of the practice; typed text is never stored.
    pub username: Option<String>,
    pub reason: FailureReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    WrongCredentials,
    DeviceSecretMissing,
    DeviceSecretMismatch,
    InactiveUser,
    WrongRecoveryKey,
    /// An attempt refused unchecked because the account is locked or must still wait.
    Throttled,
    /// Not a failure: a locked session was ended from the lock screen. It reaches the chain as
    /// a log-out.
    SignedOutFromLockScreen,
    /// The throttle's file did not match what the keyring recorded: everyone was locked out.
    ThrottleStateTampered,
}

impl FailureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::WrongCredentials => "wrong_credentials",
            FailureReason::DeviceSecretMissing => "device_secret_missing",
            FailureReason::DeviceSecretMismatch => "device_secret_mismatch",
            FailureReason::InactiveUser => "inactive_user",
            FailureReason::WrongRecoveryKey => "wrong_recovery_key",
            FailureReason::Throttled => "throttled",
            FailureReason::SignedOutFromLockScreen => "signed_out_from_lock_screen",
            FailureReason::ThrottleStateTampered => "throttle_state_tampered",
        }
    }
}

/// One line of the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    seq: Option<u64>,
    event: SignInEvent,
    mac: Option<String>,
}

fn mac_of(device_secret: &DeviceSecret, seq: u64, event: &SignInEvent) -> Hmac<Sha256> {
    let key = device_secret.derive_key(MAC_PURPOSE);
    // HMAC takes keys of any length, so a 32-byte key cannot be refused.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_slice())
        .unwrap_or_else(|_| unreachable!("HMAC-SHA256 accepts a 32-byte key"));
    mac.update(MAC_PURPOSE.as_bytes());
    mac.update(&seq.to_be_bytes());
    mac.update(&serde_json::to_vec(event).unwrap_or_default());
    mac
}

/// Appends one line and flushes it to disk. A failure to write is logged, never fatal: the
/// person at the keyboard still gets their "wrong password" message.
fn append(path: &Path, line: &Line) {
    let write = || -> std::io::Result<()> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        let mut bytes = serde_json::to_vec(line).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        file.write_all(&bytes)?;
        file.sync_data()
    };
    if let Err(error) = write() {
        tracing::error!(%error, "could not record a sign-in event in the buffer file");
    }
}

/// Appends an event numbered `seq`, with its MAC.
pub(crate) fn record(path: &Path, device_secret: &DeviceSecret, seq: u64, event: SignInEvent) {
    let mac = hex::encode(mac_of(device_secret, seq, &event).finalize().into_bytes());
    append(path, &Line { seq: Some(seq), event, mac: Some(mac) });
}

/// Appends an event written without the device secret (it is missing or does not match).
pub(crate) fn record_unauthenticated(path: &Path, event: SignInEvent) {
    append(path, &Line { seq: None, event, mac: None });
}

/// What the buffer holds, sorted by how far it can be trusted.
#[derive(Debug, Default)]
pub(crate) struct BufferedEvents {
    /// Events whose MAC checks, with their numbers.
    pub authentic: Vec<(u64, SignInEvent)>,
    /// Lines that claim a MAC that does not check, or do not read at all.
    pub forged: u64,
    /// Lines written without a MAC (or whose MAC no key at hand can check).
    pub unauthenticated: u64,
}

/// Reads every buffered line. With no device secret at hand (after a recovery gave the PC a new
/// one), no MAC can be checked: every line is unauthenticated.
pub(crate) fn read_all(path: &Path, device_secret: Option<&DeviceSecret>) -> BufferedEvents {
    let mut found = BufferedEvents::default();
    let Ok(file) = fs::File::open(path) else { return found };
    let reader = BufReader::new(file.take(BUFFER_LIMIT));
    for line in reader.lines() {
        let Some(line) = line.ok().and_then(|text| serde_json::from_str::<Line>(&text).ok()) else {
            found.forged += 1;
            continue;
        };
        match (line.seq, line.mac, device_secret) {
            (_, None, _) | (_, Some(_), None) => found.unauthenticated += 1,
            (Some(seq), Some(mac), Some(secret)) => {
                let checks = hex::decode(mac)
                    .ok()
                    .is_some_and(|claimed| mac_of(secret, seq, &line.event).verify_slice(&claimed).is_ok());
                if checks { found.authentic.push((seq, line.event)) } else { found.forged += 1 }
            }
            (None, Some(_), Some(_)) => found.forged += 1,
        }
    }
    if fs::metadata(path).is_ok_and(|meta| meta.len() > BUFFER_LIMIT) {
        found.forged += 1;
    }
    found
}

pub(crate) fn clear(path: &Path) {
    if let Err(error) = fs::remove_file(path)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::error!(%error, "could not clear the sign-in event buffer");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(reason: FailureReason) -> SignInEvent {
        SignInEvent { id: "e1".into(), at: "2026-11-25T08:00:00.000Z".into(), username: Some("dana".into()), reason }
    }

    #[test]
    fn authentic_forged_and_unauthenticated_lines_are_told_apart() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("failed-logins.jsonl");
        let secret = DeviceSecret::generate().unwrap();
        record(&path, &secret, 1, event(FailureReason::WrongCredentials));
        record_unauthenticated(&path, event(FailureReason::DeviceSecretMissing));
        // A line with a MAC from another secret, and one edited after it was written.
        record(&path, &DeviceSecret::generate().unwrap(), 2, event(FailureReason::WrongCredentials));
        let mut text = fs::read_to_string(&path).unwrap();
        record(&path, &secret, 3, event(FailureReason::WrongCredentials));
        let last = fs::read_to_string(&path).unwrap()[text.len()..].replace("dana", "jdoe");
        text.push_str(&last);
        text.push_str("not json\n");
        fs::write(&path, text).unwrap();

        let found = read_all(&path, Some(&secret));
        assert_eq!(found.authentic.len(), 1);
        assert_eq!(found.authentic[0].0, 1);
        assert_eq!((found.forged, found.unauthenticated), (3, 1));
        let without_secret = read_all(&path, None);
        assert!(without_secret.authentic.is_empty());
        assert_eq!((without_secret.unauthenticated, without_secret.forged), (4, 1));
    }
}
