//! The SQL of amendment requests and their decisions (both append-only).

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use super::{AmendmentDecision, AmendmentItem, AmendmentOutcome, AmendmentRequest};
use crate::error::ClinicResult;

const COLUMNS: &str = "r.id, r.patient_id, r.received_on, r.item_type, r.item_id, r.requested_change, \
     ru.full_name || ' (' || ru.username || ')', r.recorded_at, d.decision, d.reason, d.applied_item_type, \
     d.applied_item_id, du.full_name || ' (' || du.username || ')', d.decided_at";

const FROM: &str = "amendment_requests r JOIN users ru ON ru.id = r.recorded_by \
     LEFT JOIN amendment_decisions d ON d.request_id = r.id LEFT JOIN users du ON du.id = d.decided_by";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<AmendmentRequest> {
    let decision: Option<String> = row.get(8)?;
    Ok(AmendmentRequest {
        id: row.get(0)?,
        patient_id: row.get(1)?,
        received_on: row.get(2)?,
        item: crate::codes::code_in_row(row, 3)?,
        item_id: row.get(4)?,
        requested_change: row.get(5)?,
        recorded_by: row.get(6)?,
        recorded_at: row.get(7)?,
        decision: match decision {
            Some(outcome) => Some(AmendmentDecision {
                outcome: if outcome == "accepted" { AmendmentOutcome::Accepted } else { AmendmentOutcome::Denied },
                reason: row.get(9)?,
                applied_item_type: row.get(10)?,
                applied_item_id: row.get(11)?,
                decided_by: row.get(12)?,
                decided_at: row.get(13)?,
            }),
            None => None,
        },
    })
}

pub(crate) fn request_by_id(connection: &Connection, id: &str) -> ClinicResult<Option<AmendmentRequest>> {
    Ok(connection.query_row(&format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = ?1"), [id], read).optional()?)
}

/// A request as it is first recorded.
pub(super) struct NewRequestRow<'a> {
    pub id: &'a str,
    pub patient_id: &'a PatientId,
    pub received_on: &'a str,
    pub item: AmendmentItem,
    pub item_id: Option<&'a str>,
    pub requested_change: &'a str,
    pub recorded_by: &'a str,
    pub recorded_at: &'a str,
}

pub(super) fn insert_request(connection: &Connection, row: &NewRequestRow<'_>) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO amendment_requests (id, patient_id, received_on, item_type, item_id, requested_change,
             recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            row.id,
            row.patient_id,
            row.received_on,
            row.item.as_str(),
            row.item_id,
            row.requested_change,
            row.recorded_by,
            row.recorded_at
        ],
    )?;
    Ok(())
}

/// A patient's requests, newest first.
pub(super) fn requests_of_patient(
    connection: &Connection,
    patient_id: &PatientId,
) -> ClinicResult<Vec<AmendmentRequest>> {
    let sql =
        format!("SELECT {COLUMNS} FROM {FROM} WHERE r.patient_id = ?1 ORDER BY r.received_on DESC, r.recorded_at DESC");
    Ok(connection.prepare(&sql)?.query_map([patient_id], read)?.collect::<Result<Vec<_>, _>>()?)
}

pub(super) fn insert_decision(
    connection: &Connection,
    request_id: &str,
    outcome: &str,
    reason: &str,
    applied_to: Option<(&'static str, &str)>,
    decided_by: &str,
    decided_at: &str,
) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO amendment_decisions (request_id, decision, reason, applied_item_type, applied_item_id,
             decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            request_id,
            outcome,
            reason,
            applied_to.map(|(kind, _)| kind),
            applied_to.map(|(_, id)| id),
            decided_by,
            decided_at
        ],
    )?;
    Ok(())
}
