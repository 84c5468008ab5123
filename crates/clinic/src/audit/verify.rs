//! Full verification of the audit chain: walks every entry in sequence order and names the first
//! one that is missing, altered, forged or out of place.

use rusqlite::Connection;
use serde::Serialize;

use rusqlite::types::ValueRef;

use super::chain::{AuditKey, ChainHead, EntryFields, EntryHasher, FLAG_BYTES, GENESIS_HASH};
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

const ENTRY_COLUMNS: &str = "seq, occurred_at, user_id, username, roles, workstation_id, action, \
     patient_id, object_type, object_id, data_category, outcome, reason, emergency_access, details, prev_hash, hash";

/// A column's bytes, or `None` for NULL (text and blobs alike).
fn bytes<'a>(row: &'a rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<&'a [u8]>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Null => None,
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Some(bytes),
        ValueRef::Integer(_) | ValueRef::Real(_) => {
            return Err(rusqlite::Error::InvalidColumnType(
                index,
                "audit column".into(),
                rusqlite::types::Type::Integer,
            ));
        }
    })
}

/// The fields of a stored entry as its hash covers them, borrowed from the row.
fn fields_of<'a>(row: &'a rusqlite::Row<'_>) -> rusqlite::Result<EntryFields<'a>> {
    let emergency: i64 = row.get(13)?;
    let mut parts = [None; 15];
    for (part, column) in parts.iter_mut().zip([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
        *part = bytes(row, column)?;
    }
    parts[12] = Some(FLAG_BYTES[usize::from(emergency != 0)]);
    parts[13] = bytes(row, 14)?;
    parts[14] = bytes(row, 15)?;
    Ok(EntryFields { seq: row.get(0)?, parts })
}

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
    let mut hasher = EntryHasher::new(key);
    let mut count = 0u64;
    while let Some(row) = rows.next()? {
        let fields = fields_of(row)?;
        if fields.seq != expected_seq {
            return Ok(ChainVerification::Broken {
                seq: fields.seq,
                fault: ChainFault::MissingEntries { expected: expected_seq },
            });
        }
        let stored_hash = bytes(row, 16)?.unwrap_or_default();
        if hasher.hash(&fields).as_slice() != stored_hash {
            return Ok(ChainVerification::Broken { seq: fields.seq, fault: ChainFault::AlteredEntry });
        }
        if fields.parts[14] != Some(previous_hash.as_slice()) {
            return Ok(ChainVerification::Broken { seq: fields.seq, fault: ChainFault::BrokenLink });
        }
        previous_hash.clear();
        previous_hash.extend_from_slice(stored_hash);
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
