//! The SQL of backups: the Owner's settings and the list of backups made.

use rusqlite::{Connection, OptionalExtension, params};

use super::{BackupRecord, BackupSettings, BackupTrigger, RetentionPolicy};
use crate::error::{ClinicError, ClinicResult};

pub fn settings(connection: &Connection) -> ClinicResult<BackupSettings> {
    let (destination, daily_at, after_hours, daily, weekly, monthly, recipients): (
        Option<String>,
        Option<String>,
        Option<u32>,
        u32,
        u32,
        u32,
        String,
    ) = connection.query_row(
        "SELECT destination, daily_at, on_log_off_after_hours, keep_daily, keep_weekly, keep_monthly, further_recipients
         FROM backup_settings WHERE id = 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?)),
    )?;
    let further_recipients = serde_json::from_str(&recipients)
        .map_err(|_| ClinicError::Internal("The backup recipients could not be read."))?;
    Ok(BackupSettings {
        destination,
        daily_at,
        on_log_off_after_hours: after_hours,
        retention: RetentionPolicy { daily, weekly, monthly },
        further_recipients,
    })
}

pub fn save_settings(connection: &Connection, settings: &BackupSettings) -> ClinicResult<()> {
    let recipients = serde_json::to_string(&settings.further_recipients)
        .map_err(|_| ClinicError::Internal("The backup recipients could not be saved."))?;
    connection.execute(
        "UPDATE backup_settings SET destination = ?1, daily_at = ?2, on_log_off_after_hours = ?3, keep_daily = ?4,
             keep_weekly = ?5, keep_monthly = ?6, further_recipients = ?7 WHERE id = 1",
        params![
            settings.destination,
            settings.daily_at,
            settings.on_log_off_after_hours,
            settings.retention.daily,
            settings.retention.weekly,
            settings.retention.monthly,
            recipients
        ],
    )?;
    Ok(())
}

const RECORD_COLUMNS: &str =
    "b.id, b.file_name, b.folder, b.created_at, u.full_name || ' (' || u.username || ')', b.trigger,
    b.bytes, b.verified_at, b.verification_passed, b.verification_problems, b.removed_at";

fn read_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<(BackupRecord, String)> {
    let problems: String = row.get(9)?;
    Ok((
        BackupRecord {
            id: row.get(0)?,
            file_name: row.get(1)?,
            folder: row.get(2)?,
            created_at: row.get(3)?,
            created_by: row.get(4)?,
            trigger: crate::codes::code_in_row(row, 5)?,
            bytes: row.get::<_, i64>(6)?.max(0) as u64,
            verified_at: row.get(7)?,
            verification_passed: row.get(8)?,
            verification_problems: Vec::new(),
            removed_at: row.get(10)?,
        },
        problems,
    ))
}

/// The backups made, newest first (at most `limit`). Two made in the same millisecond (only a
/// stopped test clock does that) come in the order they were recorded, the later first.
pub fn records(connection: &Connection, limit: u32) -> ClinicResult<Vec<BackupRecord>> {
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM backups b LEFT JOIN users u ON u.id = b.created_by
         ORDER BY b.created_at DESC, b.rowid DESC LIMIT ?1"
    );
    let mut statement = connection.prepare(&sql)?;
    let rows = statement.query_map([limit], read_record)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(mut record, problems)| {
            record.verification_problems = serde_json::from_str(&problems).unwrap_or_default();
            record
        })
        .collect())
}

pub fn record_by_id(connection: &Connection, id: &str) -> ClinicResult<Option<BackupRecord>> {
    let sql =
        format!("SELECT {RECORD_COLUMNS} FROM backups b LEFT JOIN users u ON u.id = b.created_by WHERE b.id = ?1");
    let found = connection.prepare(&sql)?.query_row([id], read_record).optional()?;
    Ok(found.map(|(mut record, problems)| {
        record.verification_problems = serde_json::from_str(&problems).unwrap_or_default();
        record
    }))
}

/// What is written about a new backup.
pub struct NewRecord<'a> {
    pub id: &'a str,
    pub file_name: &'a str,
    pub folder: &'a str,
    pub created_at: &'a str,
    pub created_by: &'a str,
    pub trigger: BackupTrigger,
    pub bytes: u64,
    pub snapshot_sha256: &'a str,
    pub audit_head_seq: Option<i64>,
    pub verified_at: &'a str,
    pub verification_passed: bool,
    pub verification_problems: &'a [String],
}

pub fn insert_record(connection: &Connection, record: &NewRecord<'_>) -> ClinicResult<()> {
    let problems = serde_json::to_string(record.verification_problems)
        .map_err(|_| ClinicError::Internal("The verification could not be saved."))?;
    connection.execute(
        "INSERT INTO backups (id, file_name, folder, created_at, created_by, trigger, bytes, snapshot_sha256,
             audit_head_seq, verified_at, verification_passed, verification_problems)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            record.id,
            record.file_name,
            record.folder,
            record.created_at,
            record.created_by,
            record.trigger.as_str(),
            record.bytes as i64,
            record.snapshot_sha256,
            record.audit_head_seq,
            record.verified_at,
            record.verification_passed,
            problems
        ],
    )?;
    Ok(())
}

pub fn mark_removed(connection: &Connection, id: &str, at: &str) -> ClinicResult<()> {
    connection.execute("UPDATE backups SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL", params![id, at])?;
    Ok(())
}

/// The newest backup whose verification passed and whose file was not removed.
pub fn last_verified(connection: &Connection) -> ClinicResult<Option<BackupRecord>> {
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM backups b LEFT JOIN users u ON u.id = b.created_by
         WHERE b.verification_passed = 1 AND b.removed_at IS NULL ORDER BY b.created_at DESC LIMIT 1"
    );
    Ok(connection.prepare(&sql)?.query_row([], read_record).optional()?.map(|(record, _)| record))
}

/// Copies the settings and the list of backups from the database being replaced into the
/// restored one, so a restore does not forget where backups go or which were made since.
pub fn carry_over(from: &Connection, into: &Connection) -> ClinicResult<()> {
    save_settings(into, &settings(from)?)?;
    let mut statement = from.prepare(
        "SELECT id, file_name, folder, created_at, created_by, trigger, bytes, snapshot_sha256, audit_head_seq,
             verified_at, verification_passed, verification_problems, removed_at FROM backups",
    )?;
    let mut rows = statement.query([])?;
    let mut insert = into.prepare(
        "INSERT INTO backups (id, file_name, folder, created_at, created_by, trigger, bytes, snapshot_sha256,
             audit_head_seq, verified_at, verification_passed, verification_problems, removed_at)
         VALUES (?1, ?2, ?3, ?4, (SELECT id FROM users WHERE id = ?5), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET removed_at = excluded.removed_at",
    )?;
    while let Some(row) = rows.next()? {
        let values: Vec<rusqlite::types::Value> = (0..13).map(|index| row.get(index)).collect::<Result<_, _>>()?;
        insert.execute(rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

/// Records a verification on the listed backup at `folder`/`file_name`, if it is listed.
pub fn record_verification(
    connection: &Connection,
    folder: &str,
    file_name: &str,
    at: &str,
    passed: bool,
    problems_json: &str,
) -> ClinicResult<()> {
    connection.execute(
        "UPDATE backups SET verified_at = ?3, verification_passed = ?4, verification_problems = ?5
         WHERE folder = ?1 AND file_name = ?2",
        rusqlite::params![folder, file_name, at, passed, problems_json],
    )?;
    Ok(())
}
