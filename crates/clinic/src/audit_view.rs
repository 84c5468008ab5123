//! The audit view of the Owner and the Auditor: pages of entries with filters and sort orders,
//! the staff to filter by, and exports of the filtered view as CSV and PDF. Reading the trail is
//! itself recorded (once per filter, not per page), and every export is recorded in the same
//! transaction that puts its file in place.

use std::io::Write;

use serde::Serialize;

use crate::audit::query::{self, AuditFilter, AuditRow, AuditSort};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::WallClock;
use crate::error::{ClinicError, ClinicResult};
use crate::export_file::{ExportDestination, PendingFile, io_error};
use crate::patients::PatientId;
use crate::permissions::Permission;
use crate::session::{Authorized, Session};

/// The most entries one page may hold.
pub const AUDIT_PAGE_LIMIT: u32 = 500;
/// Counting stops here: "more than 100,000 entries" is all anyone needs to read.
pub const AUDIT_COUNT_CAP: u64 = 100_000;
/// A CSV export holds at most this many entries.
pub const AUDIT_CSV_LIMIT: u64 = 2_000_000;
/// A PDF export holds at most this many entries; larger views go to CSV.
pub const AUDIT_PDF_LIMIT: u64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// How many entries match, up to [`AUDIT_COUNT_CAP`].
    pub total: u64,
    /// Whether more than [`AUDIT_COUNT_CAP`] entries match.
    pub total_is_capped: bool,
}

/// A member of staff to filter the trail by, active or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffChoice {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub active: bool,
}

/// The names of the filters in use, for the audit entry of a read or an export.
fn filter_fields(filter: &AuditFilter) -> Detail {
    let mut fields = Vec::new();
    for (set, name) in [
        (filter.from.is_some(), "from"),
        (filter.to.is_some(), "to"),
        (filter.user_id.is_some(), "user"),
        (filter.patient_id.is_some(), "patient"),
        (filter.action.is_some(), "action"),
        (filter.outcome.is_some(), "outcome"),
        (filter.emergency_only, "emergency_only"),
    ] {
        if set {
            fields.push(name);
        }
    }
    Detail::Fields(fields)
}

const CSV_HEADER: [&str; 15] = [
    "entry",
    "time_utc",
    "username",
    "roles",
    "workstation",
    "action",
    "outcome",
    "patient_id",
    "patient",
    "object_type",
    "object_id",
    "data_category",
    "reason",
    "emergency_access",
    "details",
];

fn csv_record(row: &AuditRow) -> [String; 15] {
    [
        row.seq.to_string(),
        row.occurred_at.clone(),
        row.username.clone().unwrap_or_default(),
        row.roles.clone(),
        row.workstation_id.clone(),
        row.action.clone(),
        row.outcome.clone(),
        row.patient_id.clone().unwrap_or_default(),
        row.patient_label.clone().unwrap_or_default(),
        row.object_type.clone().unwrap_or_default(),
        row.object_id.clone().unwrap_or_default(),
        row.data_category.clone().unwrap_or_default(),
        row.reason.clone().unwrap_or_default(),
        if row.emergency_access { "yes" } else { "no" }.to_owned(),
        row.details.clone(),
    ]
}

fn csv_error(error: csv::Error) -> ClinicError {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => io_error(error),
        _ => ClinicError::Internal("The CSV file could not be written."),
    }
}

/// Writes the file, records `event` with the number of entries, and puts the file in place; the
/// record and the file go together or not at all.
pub(crate) fn export_with_record(
    authorized: &mut Authorized<'_>,
    destination: &ExportDestination,
    event: AuditEvent,
    write: impl FnOnce(&rusqlite::Connection, &mut dyn Write) -> ClinicResult<u64>,
) -> ClinicResult<u64> {
    let data_folder = authorized.vault().data_dir().root().to_path_buf();
    let change = authorized.begin_change()?;
    let (pending, count) = PendingFile::write(destination, &data_folder, |writer| write(change.connection(), writer))?;
    let placed = pending.put_in_place()?;
    match change.commit(&event.detail("entries", Detail::Count(count))) {
        Ok(_) => Ok(count),
        Err(error) => {
            placed.withdraw();
            Err(error)
        }
    }
}

impl Session {
    /// One page of the audit trail.
    pub fn audit_entries(
        &mut self,
        filter: &AuditFilter,
        sort: AuditSort,
        offset: u64,
        limit: u32,
    ) -> ClinicResult<AuditPage> {
        let mut authorized = self.authorize(Permission::ViewAudit, AuditAction::View)?;
        if limit == 0 || limit > AUDIT_PAGE_LIMIT {
            return Err(ClinicError::invalid("limit", format!("A page holds 1 to {AUDIT_PAGE_LIMIT} entries.")));
        }
        let rows = query::page(authorized.connection(), filter, sort, offset, limit)?;
        let counted = query::count(authorized.connection(), filter, AUDIT_COUNT_CAP + 1)?;
        let page = AuditPage { rows, total: counted.min(AUDIT_COUNT_CAP), total_is_capped: counted > AUDIT_COUNT_CAP };
        if offset == 0 {
            let mut event = AuditEvent::success(AuditAction::View)
                .category("audit_trail")
                .detail("filters", filter_fields(filter))
                .detail("matching", Detail::Count(page.total));
            if let Some(patient_id) = &filter.patient_id {
                event = event.patient(patient_id);
            }
            authorized.record(&event)?;
        }
        Ok(page)
    }

    /// The patient an MRN belongs to, for the audit view's patient filter (the Owner and the
    /// Auditor have no patient screens): its id and how it is named. Recorded as a view.
    pub fn audit_patient_by_mrn(&mut self, mrn: &str) -> ClinicResult<(PatientId, String)> {
        let mut authorized = self.authorize(Permission::ViewAudit, AuditAction::View)?;
        let number = crate::patients::search_keys::number_of_mrn(mrn)
            .ok_or_else(|| ClinicError::invalid("mrn", "That is not an MRN: check the digits."))?;
        let row = crate::patients::store::by_number(authorized.connection(), number)?
            .ok_or(ClinicError::NotFound("A patient with that MRN"))?;
        let label = crate::store::patient_label(authorized.connection(), &row.id)?.unwrap_or_default();
        authorized.record(
            &AuditEvent::success(AuditAction::View).patient(&row.id).category("audit_trail").reason("patient_filter"),
        )?;
        Ok((row.id, label))
    }

    /// Everyone who has had an account, for the audit view's user filter.
    pub fn audit_staff_choices(&mut self) -> ClinicResult<Vec<StaffChoice>> {
        let authorized = self.authorize(Permission::ViewAudit, AuditAction::View)?;
        let users = crate::store::all_users(authorized.connection())?;
        Ok(users
            .into_iter()
            .map(|user| StaffChoice {
                id: user.id,
                username: user.username,
                full_name: user.full_name,
                active: user.active,
            })
            .collect())
    }

    /// The filtered view as a CSV file (UTF-8, one entry a line, times in UTC).
    pub fn export_audit_csv(
        &mut self,
        filter: &AuditFilter,
        sort: AuditSort,
        destination: &ExportDestination,
    ) -> ClinicResult<u64> {
        let mut authorized = self.authorize(Permission::ViewAudit, AuditAction::AuditExport)?;
        let event = AuditEvent::success(AuditAction::AuditExport)
            .category("audit_trail")
            .reason("csv")
            .detail("filters", filter_fields(filter));
        export_with_record(&mut authorized, destination, event, |connection, writer| {
            let mut csv = csv::Writer::from_writer(writer);
            csv.write_record(CSV_HEADER).map_err(csv_error)?;
            let count = query::for_each(connection, filter, sort, AUDIT_CSV_LIMIT, |row| {
                csv.write_record(csv_record(&row)).map_err(csv_error)
            })?;
            csv.flush().map_err(io_error)?;
            Ok(count)
        })
    }

    /// The filtered view as a PDF table, for handing over; at most [`AUDIT_PDF_LIMIT`] entries.
    pub fn export_audit_pdf(
        &mut self,
        filter: &AuditFilter,
        sort: AuditSort,
        wall_clock: WallClock,
        destination: &ExportDestination,
    ) -> ClinicResult<u64> {
        let mut authorized = self.authorize(Permission::ViewAudit, AuditAction::AuditExport)?;
        let matching = query::count(authorized.connection(), filter, AUDIT_PDF_LIMIT + 1)?;
        if matching > AUDIT_PDF_LIMIT {
            return Err(ClinicError::invalid(
                "filter",
                format!("A PDF holds at most {AUDIT_PDF_LIMIT} entries. Narrow the filter, or export CSV instead."),
            ));
        }
        let report = crate::audit_reports::filtered_view_report(&authorized, filter, sort, wall_clock)?;
        let event = AuditEvent::success(AuditAction::AuditExport)
            .category("audit_trail")
            .reason("pdf")
            .detail("filters", filter_fields(filter));
        export_with_record(&mut authorized, destination, event, |_, writer| {
            let pdf = chartkeep_documents::render_table_report_pdf(&report.document)
                .map_err(|_| ClinicError::Internal("The PDF could not be made."))?;
            writer.write_all(&pdf).map_err(io_error)?;
            Ok(report.entries)
        })
    }
}
