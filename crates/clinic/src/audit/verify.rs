//! Full verification of the audit chain: walks every entry in sequence order and names the first
//! one that is missing, altered, forged or out of place.

use rusqlite::Connection;
use serde::Serialize;

use super::chain::{AuditEntry, AuditKey, ChainHead, GENESIS_HASH, entry_hash};
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

fn read_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: row.get(0)?,
        occurred_at: row.get(1)?,
        user_id: row.get(2)?,
        username: row.get(3)?,
        roles: row.get(4)?,
        workstation_id: row.get(5)?,
        action: row.get(6)?,
        patient_id: row.get(7)?,
        object_type: row.get(8)?,
        object_id: row.get(9)?,
        data_category: row.get(10)?,
        outcome: row.get(11)?,
        reason: row.get(12)?,
        emergency_access: row.get(13)?,
        details: row.get(14)?,
        prev_hash: row.get(15)?,
        hash: row.get(16)?,
    })
}

const ENTRY_COLUMNS: &str = "seq, occurred_at, user_id, username, roles, workstation_id, action, \
     patient_id, object_type, object_id, data_category, outcome, reason, emergency_access, details, prev_hash, hash";

/// Verifies the whole chain from the first entry.
pub fn verify_chain(connection: &Connection, key: &AuditKey) -> ClinicResult<ChainVerification> {
    verify_after(connection, key, None)
}

/// Verifies the entries after `start` (a sequence number and the hash the entry there must
/// have), or the whole chain when `start` is `None`. The entry at `start` itself is the caller's
/// to compare.
pub(crate) fn verify_after(
    connection: &Connection,
    key: &AuditKey,
    start: Option<&ChainHead>,
) -> ClinicResult<ChainVerification> {
    let (mut expected_seq, mut previous_hash) = match start {
        Some(head) => (head.seq + 1, head.hash.clone()),
        None => (1, GENESIS_HASH.to_vec()),
    };
    let mut statement =
        connection.prepare(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq >= ?1 ORDER BY seq"))?;
    let mut rows = statement.query([expected_seq])?;
    let mut count = 0u64;
    while let Some(row) = rows.next()? {
        let entry = read_entry(row)?;
        if entry.seq != expected_seq {
            return Ok(ChainVerification::Broken {
                seq: entry.seq,
                fault: ChainFault::MissingEntries { expected: expected_seq },
            });
        }
        if entry_hash(key, &entry) != entry.hash {
            return Ok(ChainVerification::Broken { seq: entry.seq, fault: ChainFault::AlteredEntry });
        }
        if entry.prev_hash != previous_hash {
            return Ok(ChainVerification::Broken { seq: entry.seq, fault: ChainFault::BrokenLink });
        }
        previous_hash = entry.hash;
        expected_seq += 1;
        count += 1;
    }
    let head = match (count, start) {
        (0, Some(start)) => Some(start.clone()),
        (0, None) => None,
        _ => Some(ChainHead { seq: expected_seq - 1, hash: previous_hash }),
    };
    Ok(ChainVerification::Intact { entries: count, head })
}
