//! The SQL of the audit trail: the chain's entries (appended, read in order, looked up by
//! sequence number), the audit view's queries, and the integrity alerts.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use super::chain::{AuditEntry, ChainHead, EntryFields, FLAG_BYTES};
use crate::error::ClinicResult;

pub mod alerts;
pub mod query;

pub fn chain_head(connection: &Connection) -> ClinicResult<Option<ChainHead>> {
    Ok(connection
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |row| {
            Ok(ChainHead { seq: row.get(0)?, hash: row.get(1)? })
        })
        .optional()?)
}

/// The stored hash of the entry at `seq`, if there is one.
pub(super) fn hash_at(connection: &Connection, seq: i64) -> ClinicResult<Option<Vec<u8>>> {
    Ok(connection.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |row| row.get(0)).optional()?)
}

pub(super) fn insert_entry(connection: &Connection, entry: &AuditEntry) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO audit_log (seq, occurred_at, user_id, username, roles, workstation_id, action, patient_id,
             object_type, object_id, data_category, outcome, reason, emergency_access, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            entry.seq,
            entry.occurred_at,
            entry.user_id,
            entry.username,
            entry.roles,
            entry.workstation_id,
            entry.action,
            entry.patient_id,
            entry.object_type,
            entry.object_id,
            entry.data_category,
            entry.outcome,
            entry.reason,
            entry.emergency_access,
            entry.details,
            entry.prev_hash,
            entry.hash,
        ],
    )?;
    Ok(())
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

/// Calls `each` with the fields (borrowed from the row, as the hash covers them) and the stored
/// hash of every entry from `from` to `until` (inclusive) in sequence order, until it returns
/// false. Nothing is copied: verifying a million entries reads them once.
pub(super) fn for_each_entry(
    connection: &Connection,
    from: i64,
    until: i64,
    mut each: impl FnMut(&EntryFields<'_>, &[u8]) -> bool,
) -> ClinicResult<()> {
    let mut statement = connection
        .prepare(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq"))?;
    let mut rows = statement.query([from, until])?;
    while let Some(row) = rows.next()? {
        let fields = fields_of(row)?;
        let stored_hash = bytes(row, 16)?.unwrap_or_default();
        if !each(&fields, stored_hash) {
            break;
        }
    }
    Ok(())
}
