//! The SQL of the chain's integrity: the last check's status and the alerts it raised.

use rusqlite::{Connection, OptionalExtension, params};

use crate::audit::{IntegrityAlertKind, UnlockCheck};
use crate::audit_integrity::{ChainCheck, IntegrityAlert};
use crate::error::ClinicResult;

/// Keeps the result of the last check (one row).
pub fn save_check(connection: &Connection, now: &str, check: &UnlockCheck) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO audit_chain_status (id, checked_at, scope, verified_through, intact) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET checked_at = ?1, scope = ?2, verified_through = ?3, intact = ?4",
        params![now, check.scope.as_str(), check.verified_through, check.intact()],
    )?;
    Ok(())
}

/// Whether an alert for the same fault is open (not acknowledged) already.
pub fn is_open(connection: &Connection, alert: IntegrityAlertKind) -> ClinicResult<bool> {
    Ok(connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_integrity_alerts
         WHERE kind = ?1 AND seq IS ?2 AND acknowledged_at IS NULL)",
        params![alert.code(), alert.seq()],
        |row| row.get(0),
    )?)
}

pub fn insert(connection: &Connection, id: &str, detected_at: &str, alert: IntegrityAlertKind) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO audit_integrity_alerts (id, detected_at, kind, seq, description) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, detected_at, alert.code(), alert.seq(), alert.describe()],
    )?;
    Ok(())
}

pub fn last_check(connection: &Connection) -> ClinicResult<Option<ChainCheck>> {
    let row = connection
        .query_row(
            "SELECT checked_at, scope, verified_through, intact FROM audit_chain_status WHERE id = 1",
            [],
            |row| {
                Ok(ChainCheck {
                    checked_at: row.get(0)?,
                    scope: crate::codes::code_in_row(row, 1)?,
                    verified_through: row.get(2)?,
                    intact: row.get(3)?,
                })
            },
        )
        .optional()?;
    Ok(row)
}

pub fn open_alerts(connection: &Connection) -> ClinicResult<Vec<IntegrityAlert>> {
    let mut statement = connection.prepare(
        "SELECT id, detected_at, kind, seq, description FROM audit_integrity_alerts
         WHERE acknowledged_at IS NULL ORDER BY detected_at",
    )?;
    let alerts = statement
        .query_map([], |row| {
            Ok(IntegrityAlert {
                id: row.get(0)?,
                detected_at: row.get(1)?,
                kind: crate::codes::code_in_row(row, 2)?,
                seq: row.get(3)?,
                description: row.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(alerts)
}

pub fn count_open(connection: &Connection) -> ClinicResult<u64> {
    let count: i64 = connection.query_row(
        "SELECT count(*) FROM audit_integrity_alerts WHERE acknowledged_at IS NULL",
        [],
        |row| row.get(0),
    )?;
    Ok(count.unsigned_abs())
}

/// Acknowledges an open alert; false when there is no such open alert.
pub fn acknowledge(
    connection: &Connection,
    alert_id: &str,
    user_id: &str,
    at: &str,
    comment: &str,
) -> ClinicResult<bool> {
    let updated = connection.execute(
        "UPDATE audit_integrity_alerts SET acknowledged_by = ?2, acknowledged_at = ?3, acknowledgement = ?4
         WHERE id = ?1 AND acknowledged_at IS NULL",
        params![alert_id, user_id, at, comment],
    )?;
    Ok(updated == 1)
}
