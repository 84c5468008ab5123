//! Full verification of the audit chain: walks every entry in sequence order and names the first
//! one that is missing, altered, forged or out of place.

use rusqlite::Connection;
use serde::Serialize;

use super::chain::{AuditKey, ChainHead, EntryHasher, GENESIS_HASH};
use super::store;
use crate::error::ClinicResult;

/// What is wrong at the first bad entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainFault {
    /// Sequence numbers jump: entries before this one were removed.
    MissingEntries { expected: i64 },
    /// The entry's hash does not match its content: it was edited, moved, or forged without the key.
    AlteredEntry,
    /// The entry is authentic but does not follow the one before it: an entry was removed, inserted or reordered.
    BrokenLink,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerification {
    Intact { entries: u64, head: Option<ChainHead> },
    Broken { seq: i64, fault: ChainFault },
}

impl ChainVerification {
    pub fn is_intact(&self) -> bool {
        matches!(self, ChainVerification::Intact { .. })
    }

    /// One plain sentence for people.
    pub fn describe(&self) -> String {
        match self {
            ChainVerification::Intact { entries: 0, .. } => "The audit trail is empty.".to_owned(),
            ChainVerification::Intact { entries, .. } => format!("All {entries} audit entries verified."),
            ChainVerification::Broken { seq, fault: ChainFault::MissingEntries { expected } } => {
                format!("Audit entries {expected} to {} are missing: they were removed.", seq - 1)
            }
            ChainVerification::Broken { seq, fault: ChainFault::AlteredEntry } => {
                format!("Audit entry {seq} was altered, moved or forged.")
            }
            ChainVerification::Broken { seq, fault: ChainFault::BrokenLink } => {
                format!(
                    "Audit entry {seq} does not follow the entry before it: entries were removed, inserted or reordered."
                )
            }
        }
    }
}

/// Verifies the whole chain from the first entry.
pub fn verify_chain(connection: &Connection, key: &AuditKey) -> ClinicResult<ChainVerification> {
    verify_after(connection, key, None)
}

/// Below this many entries one thread verifies the chain quickly enough.
const PARALLEL_FROM: i64 = 50_000;

/// Verifies the whole chain on two threads: this one checks the first half, `reader` (a second
/// connection to the same database) the second half from the stored hash where the halves
/// meet. The first half's own verification proves that stored hash, so together they verify
/// every link. Without a reader, or for a short chain, one thread does it all.
pub(crate) fn verify_chain_in_parallel(
    connection: &Connection,
    reader: Option<Connection>,
    key: &AuditKey,
) -> ClinicResult<ChainVerification> {
    verify_in_halves(connection, reader, key, PARALLEL_FROM)
}

fn verify_in_halves(
    connection: &Connection,
    reader: Option<Connection>,
    key: &AuditKey,
    parallel_from: i64,
) -> ClinicResult<ChainVerification> {
    let head = store::chain_head(connection)?;
    let (Some(reader), Some(head)) = (reader, head) else { return verify_chain(connection, key) };
    if head.seq < parallel_from {
        return verify_chain(connection, key);
    }
    let middle = head.seq / 2;
    let meeting = store::hash_at(connection, middle)?;
    let Some(meeting) = meeting else { return verify_chain(connection, key) };
    let meeting = ChainHead { seq: middle, hash: meeting };
    let (first, second) = std::thread::scope(|scope| {
        let meeting = &meeting;
        let second = scope.spawn(move || verify_range(&reader, key, Some(meeting), None));
        let first = verify_range(connection, key, None, Some(middle));
        (first, second.join())
    });
    let second = second.map_err(|_| crate::error::ClinicError::Internal("Verifying the audit chain failed."))??;
    Ok(match (first?, second) {
        (broken @ ChainVerification::Broken { .. }, _) => broken,
        (ChainVerification::Intact { head: Some(first_head), .. }, _) if first_head != meeting => {
            ChainVerification::Broken { seq: middle, fault: ChainFault::AlteredEntry }
        }
        (ChainVerification::Intact { entries: first, .. }, ChainVerification::Intact { entries: second, head }) => {
            ChainVerification::Intact { entries: first + second, head }
        }
        (_, broken) => broken,
    })
}

/// Verifies the entries after `start` (a sequence number and the hash the entry there must
/// have), or the whole chain when `start` is `None`. The entry at `start` itself is the caller's
/// to compare.
pub(crate) fn verify_after(
    connection: &Connection,
    key: &AuditKey,
    start: Option<&ChainHead>,
) -> ClinicResult<ChainVerification> {
    verify_range(connection, key, start, None)
}

/// Verifies the entries after `start` up to `until` (inclusive), or to the end.
fn verify_range(
    connection: &Connection,
    key: &AuditKey,
    start: Option<&ChainHead>,
    until: Option<i64>,
) -> ClinicResult<ChainVerification> {
    let (mut expected_seq, mut previous_hash) = match start {
        Some(head) => (head.seq + 1, head.hash.clone()),
        None => (1, GENESIS_HASH.to_vec()),
    };
    let mut hasher = EntryHasher::new(key);
    let mut count = 0u64;
    let mut broken = None;
    store::for_each_entry(connection, expected_seq, until.unwrap_or(i64::MAX), |fields, stored_hash| {
        let fault = if fields.seq != expected_seq {
            Some(ChainFault::MissingEntries { expected: expected_seq })
        } else if hasher.hash(fields).as_slice() != stored_hash {
            Some(ChainFault::AlteredEntry)
        } else if fields.parts[14] != Some(previous_hash.as_slice()) {
            Some(ChainFault::BrokenLink)
        } else {
            None
        };
        if let Some(fault) = fault {
            broken = Some(ChainVerification::Broken { seq: fields.seq, fault });
            return false;
        }
        previous_hash.clear();
        previous_hash.extend_from_slice(stored_hash);
        expected_seq += 1;
        count += 1;
        true
    })?;
    if let Some(broken) = broken {
        return Ok(broken);
    }
    let head = match (count, start) {
        (0, Some(start)) => Some(start.clone()),
        (0, None) => None,
        _ => Some(ChainHead { seq: expected_seq - 1, hash: previous_hash }),
    };
    Ok(ChainVerification::Intact { entries: count, head })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Actor, AuditAction, AuditEvent};

    /// A plain (unkeyed) database file with an audit chain of `count` entries.
    fn chain_of(count: i64, key: &AuditKey) -> (tempfile::TempDir, std::path::PathBuf) {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("chain.db");
        let mut connection = Connection::open(&path).unwrap();
        connection.execute_batch("PRAGMA journal_mode = WAL;").unwrap();
        chartkeep_vault::migrations::migrate_to(&mut connection, 1).unwrap();
        let actor = Actor { user_id: None, username: None, roles: "owner".into(), workstation_id: "w".into() };
        let transaction = connection.transaction().unwrap();
        for seq in 0..count {
            let event = AuditEvent::success(AuditAction::View).category("chart");
            crate::audit::append(&transaction, key, &actor, &event, format!("2026-01-01T00:00:{:02}.000Z", seq % 60))
                .unwrap();
        }
        transaction.commit().unwrap();
        (folder, path)
    }

    fn both_ways(path: &std::path::Path, key: &AuditKey) -> (ChainVerification, ChainVerification) {
        let connection = Connection::open(path).unwrap();
        let reader = Connection::open(path).unwrap();
        (verify_chain(&connection, key).unwrap(), verify_in_halves(&connection, Some(reader), key, 100).unwrap())
    }

    fn tamper(path: &std::path::Path, sql: &str) {
        let connection = Connection::open(path).unwrap();
        connection
            .execute_batch(&format!(
                "DROP TRIGGER IF EXISTS audit_log_is_append_only_update; DROP TRIGGER IF EXISTS audit_log_is_append_only_delete; {sql}"
            ))
            .unwrap();
    }

    #[test]
    fn two_halves_verify_as_one_pass_does_and_find_the_same_faults() {
        let key = AuditKey::for_tests([7; 32]);
        let (_folder, path) = chain_of(1000, &key);
        let (one, halves) = both_ways(&path, &key);
        assert!(matches!(halves, ChainVerification::Intact { entries: 1000, .. }), "{halves:?}");
        assert_eq!(one, halves);
        for (sql, seq) in [
            ("UPDATE audit_log SET outcome = 'failed' WHERE seq = 800;", 800),
            ("UPDATE audit_log SET outcome = 'failed' WHERE seq = 200;", 200),
            ("UPDATE audit_log SET hash = randomblob(32) WHERE seq = 500;", 500),
        ] {
            let (_folder, path) = chain_of(1000, &key);
            tamper(&path, sql);
            let (one, halves) = both_ways(&path, &key);
            assert!(
                matches!(halves, ChainVerification::Broken { seq: found, .. } if found == seq),
                "{sql}: {halves:?}"
            );
            assert_eq!(one, halves, "{sql}");
        }
    }
}
