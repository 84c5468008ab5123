//! The SQL of appointments.

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Appointment, AppointmentStatus};
use crate::error::{ClinicError, ClinicResult};

const COLUMNS: &str = "a.id, a.patient_id, p.mrn, p.family_name || ', ' || p.given_names, p.date_of_birth, a.clinician_id, \
     u.full_name, a.starts_at, a.minutes, coalesce(a.reason, ''), a.walk_in, a.status, a.status_changed_at";
const FROM: &str = "appointments a JOIN patients p ON p.id = a.patient_id JOIN users u ON u.id = a.clinician_id";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: row.get(0)?,
        patient_id: row.get(1)?,
        patient_mrn: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
        patient_name: row.get(3)?,
        patient_date_of_birth: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
        clinician_id: row.get(5)?,
        clinician_name: row.get(6)?,
        starts_at: row.get(7)?,
        minutes: row.get(8)?,
        reason: row.get(9)?,
        walk_in: row.get(10)?,
        status: crate::codes::code_in_row(row, 11)?,
        status_changed_at: row.get(12)?,
    })
}

pub(super) fn by_id(connection: &Connection, id: &str) -> ClinicResult<Appointment> {
    connection
        .query_row(&format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = ?1"), [id], read)
        .optional()?
        .ok_or(ClinicError::NotFound("That appointment"))
}

/// An appointment as it is booked.
pub(super) struct NewRow<'a> {
    pub id: &'a str,
    pub patient_id: &'a PatientId,
    pub clinician_id: &'a str,
    pub starts_at: &'a str,
    pub minutes: u32,
    pub reason: &'a str,
    pub walk_in: bool,
    pub status: AppointmentStatus,
    pub created_by: &'a str,
    pub created_at: &'a str,
}

pub(super) fn insert(connection: &Connection, row: &NewRow<'_>) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO appointments (id, patient_id, clinician_id, starts_at, minutes, reason, walk_in, status,
             status_changed_at, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9)",
        params![
            row.id,
            row.patient_id,
            row.clinician_id,
            row.starts_at,
            row.minutes,
            row.reason,
            row.walk_in,
            row.status.as_str(),
            row.created_at,
            row.created_by
        ],
    )?;
    Ok(())
}

/// The clinician's appointments that start in [`from`, `to`).
pub(super) fn of_clinician_starting_between(
    connection: &Connection,
    clinician_id: &str,
    from: &str,
    to: &str,
) -> ClinicResult<Vec<Appointment>> {
    let sql =
        format!("SELECT {COLUMNS} FROM {FROM} WHERE a.clinician_id = ?1 AND a.starts_at >= ?2 AND a.starts_at < ?3");
    Ok(connection
        .prepare_cached(&sql)?
        .query_map(params![clinician_id, from, to], read)?
        .collect::<Result<Vec<_>, _>>()?)
}

/// Every appointment that starts in [`from`, `to`), in order.
pub(super) fn starting_between(connection: &Connection, from: &str, to: &str) -> ClinicResult<Vec<Appointment>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE a.starts_at >= ?1 AND a.starts_at < ?2 ORDER BY a.starts_at");
    Ok(connection.prepare_cached(&sql)?.query_map(params![from, to], read)?.collect::<Result<Vec<_>, _>>()?)
}

/// One patient record's appointments, the latest first, at most `limit`.
pub(super) fn of_patient(
    connection: &Connection,
    patient_id: &PatientId,
    limit: u32,
) -> ClinicResult<Vec<Appointment>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE a.patient_id = ?1 ORDER BY a.starts_at DESC LIMIT ?2");
    Ok(connection.prepare_cached(&sql)?.query_map(params![patient_id, limit], read)?.collect::<Result<Vec<_>, _>>()?)
}

pub(super) fn reschedule(
    connection: &Connection,
    id: &str,
    starts_at: &str,
    minutes: u32,
    clinician_id: &str,
) -> ClinicResult<()> {
    connection.execute(
        "UPDATE appointments SET starts_at = ?2, minutes = ?3, clinician_id = ?4 WHERE id = ?1",
        params![id, starts_at, minutes, clinician_id],
    )?;
    Ok(())
}

pub(super) fn set_status(
    connection: &Connection,
    id: &str,
    status: AppointmentStatus,
    at: &str,
    cancel_reason: Option<&str>,
) -> ClinicResult<()> {
    connection.execute(
        "UPDATE appointments SET status = ?2, status_changed_at = ?3, cancel_reason = ?4 WHERE id = ?1",
        params![id, status.as_str(), at, cancel_reason],
    )?;
    Ok(())
}
