//! Patients and the front desk's use of them: registration with a duplicate warning, the one
//! search box, opening a record, changes that keep every version, "entered in error", and
//! merging duplicates (reversibly). Every use case takes the session, checks its permission and
//! writes its audit entry in the same transaction as its change.

pub mod dates;
mod duplicates;
mod id;
pub(crate) mod import;
pub mod import_mapping;
mod importing;
mod merge;
mod reading;
mod record;
mod registration;
pub(crate) mod search;
pub mod search_keys;
pub(crate) mod store;

use rusqlite::Connection;
use serde::Serialize;

pub use dates::DateOrder;
pub use duplicates::{DuplicateProbe, DuplicateSign, compare_names, swapped_day_and_month};
pub use id::PatientId;
pub use import::{IMPORT_FILE_LIMIT_BYTES, IMPORT_ROW_LIMIT, ImportDuplicate, ImportProblem};
pub use import_mapping::{ColumnDateFormat, ColumnMapping, ImportField, ImportMapping};
pub use importing::{ImportPreview, ImportReport, ImportSummary, SYNTHEA_MAPPING};
pub use merge::{DuplicateReviewItem, PatientMerge};
pub use record::{
    Address, EmergencyContact, Insurance, PatientDetails, PatientDraft, PatientStatus, Phone, PhoneDraft, PhoneKind,
    Sex, VersionChange,
};
pub use search::SearchKind;

use self::dates::age_on;
use self::store::PatientRow;
use crate::error::ClinicResult;

/// A patient in a list (search results, duplicate warnings): enough to tell people apart.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PatientSummary {
    pub id: PatientId,
    pub mrn: String,
    pub family_name: String,
    pub given_names: String,
    pub preferred_name: String,
    pub date_of_birth: String,
    pub age: Option<i64>,
    pub status: PatientStatus,
    /// The last day the patient was seen (a checked-in or completed appointment).
    pub last_visit: Option<String>,
    /// When this was found through a record merged into it: that record's MRN.
    pub found_through_alias: Option<String>,
}

/// A patient's whole record, as opened.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PatientRecord {
    pub id: PatientId,
    pub mrn: String,
    /// The version this record is at; an update names it, so two people's edits never mix.
    pub version: u32,
    pub details: PatientDetails,
    pub age: Option<i64>,
    pub last_visit: Option<String>,
    pub entered_in_error: bool,
    pub needs_duplicate_review: bool,
    pub registered_at: String,
    /// The MRNs of records merged into this one (search still finds them).
    pub merged_mrns: Vec<String>,
    /// When opened through a merged record's MRN: that MRN.
    pub reached_through_alias: Option<String>,
}

/// A probable duplicate, and the signs that make it one.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateCandidate {
    pub patient: PatientSummary,
    pub signs: Vec<DuplicateSign>,
}

/// The results of one search: best first, and whether there were more than shown.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PatientSearchResults {
    pub kind: SearchKind,
    pub patients: Vec<PatientSummary>,
    pub more: bool,
}

/// One saved version of a record, and what changed from the one before.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PatientVersion {
    pub version: u32,
    pub change: VersionChange,
    pub reason: Option<String>,
    pub changed_by: String,
    pub changed_at: String,
    pub changed_fields: Vec<&'static str>,
    pub details: PatientDetails,
}

redacted!(PatientSummary, PatientRecord, DuplicateCandidate, PatientSearchResults, PatientVersion);

/// The date the clock shows, for ages.
fn today(now: time::OffsetDateTime) -> time::Date {
    now.date()
}

pub(crate) fn summary_of(
    connection: &Connection,
    row: &PatientRow,
    now: time::OffsetDateTime,
    found_through_alias: Option<String>,
) -> ClinicResult<PatientSummary> {
    let ids = store::ids_with_aliases(connection, &row.id)?;
    let details = &row.details;
    Ok(PatientSummary {
        id: row.id.clone(),
        mrn: row.mrn.clone(),
        family_name: details.family_name.clone(),
        given_names: details.given_names.clone(),
        preferred_name: details.preferred_name.clone(),
        date_of_birth: details.date_of_birth.clone(),
        age: details.date_of_birth().map(|born| age_on(born, today(now))),
        status: details.status,
        last_visit: store::last_visit(connection, &ids, &crate::clock::timestamp(now))?,
        found_through_alias,
    })
}

pub(crate) fn record_of(
    connection: &Connection,
    row: PatientRow,
    now: time::OffsetDateTime,
    reached_through_alias: Option<String>,
) -> ClinicResult<PatientRecord> {
    let ids = store::ids_with_aliases(connection, &row.id)?;
    let mut merged_mrns = Vec::new();
    for id in ids.iter().filter(|id| **id != row.id) {
        if let Some(alias) = store::by_id(connection, id)? {
            merged_mrns.push(alias.mrn);
        }
    }
    Ok(PatientRecord {
        age: row.details.date_of_birth().map(|born| age_on(born, today(now))),
        last_visit: store::last_visit(connection, &ids, &crate::clock::timestamp(now))?,
        id: row.id,
        mrn: row.mrn,
        version: row.version,
        details: row.details,
        entered_in_error: row.entered_in_error,
        needs_duplicate_review: row.needs_duplicate_review,
        registered_at: row.created_at,
        merged_mrns,
        reached_through_alias,
    })
}

/// The practice's date order, for reading typed dates.
pub(crate) fn date_order_of(connection: &Connection) -> ClinicResult<DateOrder> {
    date_order(connection)
}

fn date_order(connection: &Connection) -> ClinicResult<DateOrder> {
    DateOrder::parse(&crate::store::date_order(connection)?)
}
