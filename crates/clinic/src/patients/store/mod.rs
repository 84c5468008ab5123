//! The SQL of patient records: the current row, its versions, and its search keys, always
//! written together. The search box's own reads are in `search`.

pub(crate) mod search;

use rusqlite::{Connection, OptionalExtension, params};

use super::PatientId;
use super::record::PatientDetails;
use super::search_keys::{mrn_of, name_tokens, phone_digits, phone_key};
use crate::error::{ClinicError, ClinicResult};

pub mod duplicates;
pub mod import_mappings;
pub mod merges;

/// A patient row as stored.
#[derive(Clone)]
pub struct PatientRow {
    pub id: PatientId,
    pub number: u64,
    pub mrn: String,
    pub version: u32,
    pub details: PatientDetails,
    pub entered_in_error: bool,
    pub merged_into: Option<PatientId>,
    pub needs_duplicate_review: bool,
    pub created_at: String,
}

impl std::fmt::Debug for PatientRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatientRow").field("id", &self.id).field("version", &self.version).finish_non_exhaustive()
    }
}

pub(crate) use super::record::VersionChange;

/// Who writes a version, when, and why.
pub struct VersionStamp<'a> {
    pub change: VersionChange,
    pub reason: Option<&'a str>,
    pub user_id: &'a str,
    pub at: &'a str,
}

fn encode(details: &PatientDetails) -> ClinicResult<String> {
    serde_json::to_string(details).map_err(|_| ClinicError::Internal("A patient record could not be encoded."))
}

pub fn decode(json: &str) -> ClinicResult<PatientDetails> {
    serde_json::from_str(json).map_err(|_| ClinicError::Internal("A stored patient record could not be read."))
}

/// Takes the next patient number; numbers only grow, so MRNs are never reused.
pub fn next_number(connection: &Connection) -> ClinicResult<u64> {
    let number: i64 = connection.query_row(
        "UPDATE mrn_sequence SET next_number = next_number + 1 WHERE id = 1 RETURNING next_number - 1",
        [],
        |row| row.get(0),
    )?;
    Ok(number.unsigned_abs())
}

/// Takes `count` consecutive numbers at once (for imports), returning the first.
pub fn reserve_numbers(connection: &Connection, count: u64) -> ClinicResult<u64> {
    let count = i64::try_from(count).map_err(|_| ClinicError::Internal("Too many numbers at once."))?;
    let first: i64 = connection.query_row(
        "UPDATE mrn_sequence SET next_number = next_number + ?1 WHERE id = 1 RETURNING next_number - ?1",
        [count],
        |row| row.get(0),
    )?;
    Ok(first.unsigned_abs())
}

/// Inserts a new patient at version 1 with its search keys.
pub fn insert(
    connection: &Connection,
    id: &PatientId,
    number: u64,
    details: &PatientDetails,
    stamp: &VersionStamp<'_>,
) -> ClinicResult<()> {
    let json = encode(details)?;
    let number_sql = i64::try_from(number).map_err(|_| ClinicError::Internal("The patient number is too large."))?;
    connection
        .prepare_cached(
            "INSERT INTO patients (id, created_at, number, mrn, version, family_name, given_names, date_of_birth,
                 status, record, updated_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?2)",
        )?
        .execute(params![
            id,
            stamp.at,
            number_sql,
            mrn_of(number),
            details.family_name,
            details.given_names,
            details.date_of_birth,
            details.status.as_str(),
            json
        ])?;
    insert_version(connection, id, 1, &json, details, stamp)?;
    write_search_keys(connection, number, details)
}

/// Inserts many new patients at once (an import, seeding); returns their ids in order.
pub fn insert_many(
    connection: &Connection,
    patients: &[PatientDetails],
    stamp: &VersionStamp<'_>,
) -> ClinicResult<Vec<PatientId>> {
    let first = reserve_numbers(connection, patients.len() as u64)?;
    let mut ids = Vec::with_capacity(patients.len());
    for (offset, details) in patients.iter().enumerate() {
        let id = PatientId::generate();
        insert(connection, &id, first + offset as u64, details, stamp)?;
        ids.push(id);
    }
    Ok(ids)
}

/// Puts a record on the Owner's duplicate review list, beside the record it resembles.
pub fn flag_for_duplicate_review(
    connection: &Connection,
    id: &PatientId,
    resembles: Option<&PatientId>,
) -> ClinicResult<()> {
    connection
        .prepare_cached("UPDATE patients SET needs_duplicate_review = 1, probable_duplicate_of = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![id, resembles])?;
    Ok(())
}

/// The id of the record with this MRN.
pub fn id_by_mrn(connection: &Connection, mrn: &str) -> ClinicResult<Option<PatientId>> {
    Ok(connection
        .prepare_cached("SELECT id FROM patients WHERE mrn = ?1")?
        .query_row([mrn], |row| row.get(0))
        .optional()?)
}

/// Saves a new version of an existing patient (the caller checked which version it replaces).
pub fn update(
    connection: &Connection,
    row: &PatientRow,
    details: &PatientDetails,
    stamp: &VersionStamp<'_>,
) -> ClinicResult<u32> {
    let json = encode(details)?;
    let version = row.version + 1;
    // The name pairs are found by the names and tokens as they are before this change.
    search::delete_name_pairs(connection, row.number)?;
    connection.execute(
        "UPDATE patients SET version = ?2, family_name = ?3, given_names = ?4, date_of_birth = ?5, status = ?6,
             record = ?7, updated_at = ?8, entered_in_error = ?9
         WHERE id = ?1 AND version = ?10",
        params![
            row.id,
            version,
            details.family_name,
            details.given_names,
            details.date_of_birth,
            details.status.as_str(),
            json,
            stamp.at,
            stamp.change == VersionChange::EnteredInError || row.entered_in_error,
            row.version
        ],
    )?;
    insert_version(connection, &row.id, version, &json, details, stamp)?;
    connection.execute("DELETE FROM patient_name_tokens WHERE number = ?1", [row.number as i64])?;
    connection.execute("DELETE FROM patient_phone_keys WHERE number = ?1", [row.number as i64])?;
    write_search_keys(connection, row.number, details)?;
    Ok(version)
}

fn insert_version(
    connection: &Connection,
    id: &PatientId,
    version: u32,
    json: &str,
    details: &PatientDetails,
    stamp: &VersionStamp<'_>,
) -> ClinicResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO patient_versions (patient_id, version, record, status, change, reason, changed_by, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            version,
            json,
            details.status.as_str(),
            <&'static str>::from(stamp.change),
            stamp.reason,
            stamp.user_id,
            stamp.at
        ])?;
    Ok(())
}

fn write_search_keys(connection: &Connection, number: u64, details: &PatientDetails) -> ClinicResult<()> {
    let number = number as i64;
    let mut names = vec![details.family_name.as_str(), details.given_names.as_str()];
    if !details.preferred_name.is_empty() {
        names.push(details.preferred_name.as_str());
    }
    let mut token_statement =
        connection.prepare_cached("INSERT OR IGNORE INTO patient_name_tokens (token, number) VALUES (?1, ?2)")?;
    for token in name_tokens(&names) {
        token_statement.execute(params![token, number])?;
    }
    search::write_name_pairs(connection, number.unsigned_abs())?;
    let mut phone_statement = connection
        .prepare_cached("INSERT OR IGNORE INTO patient_phone_keys (reversed_digits, number) VALUES (?1, ?2)")?;
    // The patient's own numbers only: an emergency contact's number finds the contact's family.
    for phone in &details.phones {
        let digits = phone_digits(&phone.number);
        if !digits.is_empty() {
            phone_statement.execute(params![phone_key(&digits), number])?;
        }
    }
    Ok(())
}

const ROW_COLUMNS: &str =
    "id, number, mrn, version, record, entered_in_error, merged_into, needs_duplicate_review, created_at";

/// A row as read, before its record is decoded.
struct StoredRow {
    id: PatientId,
    number: i64,
    mrn: Option<String>,
    version: u32,
    record: String,
    entered_in_error: bool,
    merged_into: Option<PatientId>,
    needs_duplicate_review: bool,
    created_at: String,
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
        id: row.get(0)?,
        number: row.get(1)?,
        mrn: row.get(2)?,
        version: row.get(3)?,
        record: row.get(4)?,
        entered_in_error: row.get(5)?,
        merged_into: row.get(6)?,
        needs_duplicate_review: row.get(7)?,
        created_at: row.get(8)?,
    })
}

fn row_where(
    connection: &Connection,
    condition: &str,
    value: &dyn rusqlite::ToSql,
) -> ClinicResult<Option<PatientRow>> {
    let sql = format!("SELECT {ROW_COLUMNS} FROM patients WHERE {condition} AND number IS NOT NULL");
    let Some(stored) = connection.prepare_cached(&sql)?.query_row([value], read_row).optional()? else {
        return Ok(None);
    };
    Ok(Some(PatientRow {
        id: stored.id,
        number: stored.number.unsigned_abs(),
        mrn: stored.mrn.unwrap_or_default(),
        version: stored.version,
        details: decode(&stored.record)?,
        entered_in_error: stored.entered_in_error,
        merged_into: stored.merged_into,
        needs_duplicate_review: stored.needs_duplicate_review,
        created_at: stored.created_at,
    }))
}

pub fn by_id(connection: &Connection, id: &PatientId) -> ClinicResult<Option<PatientRow>> {
    row_where(connection, "id = ?1", &id)
}

pub fn by_number(connection: &Connection, number: u64) -> ClinicResult<Option<PatientRow>> {
    row_where(connection, "number = ?1", &(number as i64))
}

/// The record a merged alias leads to (following merges to the end), or the record itself.
pub fn survivor_of(connection: &Connection, row: PatientRow) -> ClinicResult<PatientRow> {
    let mut current = row;
    for _ in 0..32 {
        let Some(next) = current.merged_into.clone() else { return Ok(current) };
        current = by_id(connection, &next)?.ok_or(ClinicError::Internal("A merged record leads nowhere."))?;
    }
    Err(ClinicError::Internal("Merged records lead in a circle."))
}

/// A record's own id and the ids of every record merged into it (directly or not): whatever
/// belongs to any of them belongs to the record now.
pub fn ids_with_aliases(connection: &Connection, id: &PatientId) -> ClinicResult<Vec<PatientId>> {
    let mut statement = connection.prepare_cached(
        "WITH RECURSIVE aliases(id) AS (SELECT ?1 UNION SELECT p.id FROM patients p JOIN aliases a ON p.merged_into = a.id)
         SELECT id FROM aliases",
    )?;
    let ids = statement.query_map([id], |row| row.get(0))?.collect::<Result<Vec<PatientId>, _>>()?;
    Ok(ids)
}

/// A stored version: what the record was, why it changed, who changed it and when.
pub struct VersionRow {
    pub version: u32,
    pub details: PatientDetails,
    pub change: VersionChange,
    pub reason: Option<String>,
    pub changed_by: String,
    pub changed_at: String,
}

pub fn versions(connection: &Connection, id: &PatientId) -> ClinicResult<Vec<VersionRow>> {
    let mut statement = connection.prepare(
        "SELECT v.version, v.record, v.change, v.reason, u.full_name || ' (' || u.username || ')', v.changed_at
         FROM patient_versions v JOIN users u ON u.id = v.changed_by WHERE v.patient_id = ?1 ORDER BY v.version",
    )?;
    let rows = statement
        .query_map([id], |row| {
            Ok((
                row.get::<_, u32>(0)?,
                row.get::<_, String>(1)?,
                crate::codes::code_in_row::<VersionChange>(row, 2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(version, record, change, reason, changed_by, changed_at)| {
            Ok(VersionRow { version, details: decode(&record)?, change, reason, changed_by, changed_at })
        })
        .collect()
}

/// The last day the patient (or a record merged into it) was seen: the latest appointment on or
/// before `until` that was checked in, in progress or completed.
pub fn last_visit(connection: &Connection, ids: &[PatientId], until: &str) -> ClinicResult<Option<String>> {
    let mut latest: Option<String> = None;
    let mut statement = connection.prepare_cached(
        "SELECT max(starts_at) FROM appointments WHERE patient_id = ?1 AND starts_at <= ?2
             AND status IN ('checked_in', 'in_progress', 'completed')",
    )?;
    for id in ids {
        let found: Option<String> = statement.query_row(params![id, until], |row| row.get(0))?;
        if found.as_deref() > latest.as_deref() {
            latest = found;
        }
    }
    Ok(latest)
}

/// The records entered in error, the latest changed first.
pub fn entered_in_error_ids(connection: &Connection, limit: u32) -> ClinicResult<Vec<PatientId>> {
    Ok(connection
        .prepare("SELECT id FROM patients WHERE entered_in_error = 1 ORDER BY updated_at DESC LIMIT ?1")?
        .query_map([limit], |row| row.get(0))?
        .collect::<Result<_, _>>()?)
}
