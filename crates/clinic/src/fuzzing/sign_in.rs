//! The sign-in files' targets: the failed-sign-in buffer, the throttle file, `workstation.json`.

use std::sync::Arc;

use chartkeep_vault::fuzzing::{MemoryKeyring, device_secret, scratch_folder};
use chartkeep_vault::{DataDir, DeviceSecretStore, KeyringEntry};
use time::OffsetDateTime;

use crate::clock::SystemClock;
use crate::error::ClinicError;
use crate::sign_in_guard::events::read_all;
use crate::sign_in_guard::{SignInGuard, UNKNOWN_ACCOUNT};
use crate::workstation::Workstation;

use super::{EPOCH, SignInFiles, VAULT_ID};

/// The failed-sign-in buffer (`failed-logins.jsonl`): every line is read as authentic, forged or
/// unauthenticated, never twice and never lost, and what is handed to the audit trail lies
/// within the numbers the keyring gave out. The first byte: bit 0 has the harness MAC each line
/// that reads (as the app writes them), the higher bits set the keyring's counters.
pub fn sign_in_events(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let given_out = match mode >> 4 {
        0 => 0,
        14 => u64::MAX / 2,
        15 => u64::MAX - 1,
        n => u64::from(n) * 3,
    };
    let recorded = match (mode >> 1) & 7 {
        7 => u64::MAX,
        n => u64::from(n),
    };
    let files = SignInFiles::new(|entry| {
        entry.next_sign_in_event = given_out.saturating_add(1);
        entry.sign_in_events_recorded_through = recorded;
    });
    let data_dir = files.data_dir();
    let path = data_dir.failed_logins();
    if mode & 1 == 0 {
        assert!(std::fs::write(&path, body).is_ok(), "writing the input");
    } else {
        vouch_for_lines(&path, body);
    }
    let secret = device_secret();
    let checked = read_all(&path, Some(&secret));
    let unchecked = read_all(&path, None);
    assert!(unchecked.authentic.is_empty(), "a line was authenticated without a key");
    assert_eq!(
        checked.authentic.len() as u64 + checked.forged + checked.unauthenticated,
        unchecked.forged + unchecked.unauthenticated,
        "a line was counted twice or lost"
    );
    let guard = SignInGuard::new(&data_dir, &files.keyring, VAULT_ID, secret);
    let Ok(to_record) = guard.events_to_record() else { panic!("the events to record") };
    assert_eq!(to_record.given_out_through, given_out);
    let window = given_out.saturating_sub(recorded);
    assert!(to_record.authentic.len() as u64 <= window, "more events than numbers given out");
    assert!(to_record.removed <= window, "more removed than numbers given out");
    let numbers: std::collections::BTreeSet<u64> = checked.authentic.iter().map(|(seq, _)| *seq).collect();
    let copies = (checked.authentic.len() - numbers.len()) as u64;
    assert_eq!(to_record.forged, checked.forged + copies, "copies of a line are not counted as forged");
    guard.events_recorded(to_record.given_out_through);
    let Ok(again) = guard.events_to_record() else { panic!("the events to record, again") };
    assert!(again.authentic.is_empty() && again.removed == 0, "recorded events come back");
}

/// Rewrites each line that reads as an event with its number as the app writes it: MAC'd with
/// the device secret. Other lines are kept as they are.
fn vouch_for_lines(path: &std::path::Path, body: &[u8]) {
    use std::io::Write as _;
    let secret = device_secret();
    for line in body.split(|byte| *byte == b'\n') {
        let parsed = serde_json::from_slice::<serde_json::Value>(line).ok().and_then(|value| {
            let seq = value.get("seq")?.as_u64()?;
            let event = serde_json::from_value(value.get("event")?.clone()).ok()?;
            Some((seq, event))
        });
        match parsed {
            Some((seq, event)) => crate::sign_in_guard::events::record(path, &secret, seq, event),
            None => {
                let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) else {
                    panic!("the buffer file")
                };
                assert!(file.write_all(line).and_then(|()| file.write_all(b"\n")).is_ok(), "writing a line");
            }
        }
    }
}

/// The throttle file (`sign-in-throttle.json`): a file this PC does not vouch for locks every
/// account; one it vouches for (bit 0 of the first byte: the harness MACs the rest as a state)
/// is obeyed, its counters and times whatever they are, without a panic; clearing an account
/// always lets it try again. The higher bits move the clock.
pub fn throttle_file(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let Ok(now) = OffsetDateTime::from_unix_timestamp(EPOCH + i64::from(mode >> 1) * 300) else { return };
    let files = SignInFiles::new(|entry| entry.throttle_digests = vec!["00".repeat(32)]);
    let data_dir = files.data_dir();
    let guard = SignInGuard::new(&data_dir, &files.keyring, VAULT_ID, device_secret());
    let vouched = mode & 1 == 1 && matches!(guard.vouch_for_throttle_state(body), Ok(true));
    if !vouched {
        assert!(std::fs::write(data_dir.sign_in_throttle(), body).is_ok(), "writing the input");
    }
    let allowed = |result: &Result<(), ClinicError>| {
        matches!(result, Ok(()) | Err(ClinicError::AccountLocked { .. } | ClinicError::TooManyAttempts { .. }))
    };
    let first = guard.check("dana", now);
    assert!(allowed(&first), "an unexpected answer: {first:?}");
    if !vouched {
        assert!(matches!(first, Err(ClinicError::AccountLocked { .. })), "a file not vouched for was believed");
    }
    if let Err(ClinicError::AccountLocked { minutes }) = &first {
        assert!(*minutes >= 1, "a lockout of no time");
    }
    if let Err(ClinicError::TooManyAttempts { seconds }) = &first {
        assert!(*seconds >= 1, "a wait of no time");
    }
    let unknown = guard.check(UNKNOWN_ACCOUNT, now);
    assert!(allowed(&unknown), "an unexpected answer: {unknown:?}");
    assert!(guard.record_failure("dana", now).is_ok(), "counting a failure");
    let _ = guard.is_locked("dana", now);
    assert!(guard.clear("dana", now).is_ok(), "clearing an account");
    let after = guard.check("dana", now);
    assert!(after.is_ok(), "an account cleared still cannot try: {after:?}");
}

/// `workstation.json`, left by an older Chartkeep: whatever it holds, this PC's workstation id
/// is a UUID, the file's when it is `{"id": <a UUID>}` and a new one otherwise, kept in the
/// keyring entry (asked again, the same) and the file is gone.
pub fn workstation_file(data: &[u8]) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Written {
        id: String,
    }
    let folder = scratch_folder();
    let data_dir = DataDir::at(folder.path());
    let keyring = MemoryKeyring::default();
    assert!(keyring.write(VAULT_ID, &KeyringEntry::new(device_secret())).is_ok(), "an entry in memory");
    assert!(std::fs::write(data_dir.workstation(), data).is_ok(), "writing the input");
    let Ok(workstation) = Workstation::open(&data_dir, Box::new(keyring), Arc::new(SystemClock)) else {
        panic!("a workstation")
    };
    let id = match workstation.workstation_id(VAULT_ID) {
        Ok(id) => id,
        Err(error) => panic!("no workstation id: {error}"),
    };
    let Ok(parsed) = uuid::Uuid::parse_str(&id) else { panic!("a workstation id that is no UUID: {id:?}") };
    assert_eq!(parsed.hyphenated().to_string(), id, "a workstation id not written as Chartkeep writes one");
    let written = serde_json::from_slice::<Written>(data).ok().and_then(|file| uuid::Uuid::parse_str(&file.id).ok());
    if let Some(written) = written {
        assert_eq!(written, parsed, "the file's id was not adopted");
    }
    assert!(!data_dir.workstation().exists(), "the old file is still there");
    assert_eq!(workstation.workstation_id(VAULT_ID).ok(), Some(id), "asked again, another id");
}
