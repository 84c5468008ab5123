//! Failed sign-ins happen while the database is closed, so they are buffered in a small file
//! beside it (no patient data: a time, a known username or none, a reason code) and appended to
//! the audit chain at the next successful unlock. The same buffer carries the one other event of
//! a closed database: a locked session ended from the lock screen ("Switch user").

use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedLogin {
    /// A random id, so an entry reaches the chain once even if clearing the file fails.
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
        }
    }
}

/// Appends one failure and flushes it to disk. A failure to write is logged, never fatal: the
/// person at the keyboard still gets their "wrong password" message.
pub fn record(path: &Path, failure: &FailedLogin) {
    let write = || -> std::io::Result<()> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        let mut line = serde_json::to_vec(failure).map_err(std::io::Error::other)?;
        line.push(b'\n');
        file.write_all(&line)?;
        file.sync_data()
    };
    if let Err(error) = write() {
        tracing::error!(%error, "could not record a failed sign-in in the buffer file");
    }
}

/// Reads every buffered failure. Damaged lines are counted, not trusted.
pub fn read_all(path: &Path) -> (Vec<FailedLogin>, u64) {
    let Ok(file) = fs::File::open(path) else { return (Vec::new(), 0) };
    let mut failures = Vec::new();
    let mut damaged = 0;
    for line in BufReader::new(file).lines() {
        match line.ok().and_then(|line| serde_json::from_str::<FailedLogin>(&line).ok()) {
            Some(failure) => failures.push(failure),
            None => damaged += 1,
        }
    }
    (failures, damaged)
}

pub fn clear(path: &Path) {
    if let Err(error) = fs::remove_file(path)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::error!(%error, "could not clear the failed sign-in buffer");
    }
}
