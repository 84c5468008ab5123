//! The front desk's other shapes at the boundary: appointments and each clinician's day, the
//! CSV import (mapping, preview, check report, summary), disclosures, amendment requests and
//! emergency access.

use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::patients::{
    ColumnDateFormat, ColumnMapping, ImportDuplicate, ImportField, ImportMapping, ImportPreview, ImportProblem,
    ImportReport, ImportSummary,
};
use chartkeep_clinic::{
    AmendmentItem, AmendmentOutcome, AmendmentRequest, Appointment, AppointmentStatus, ClinicianDay, Disclosure,
    EmergencyAccess,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::patients::ImportedPatientView;

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentView {
    pub id: String,
    pub patient_id: PatientId,
    pub patient_mrn: String,
    pub patient_name: String,
    pub patient_date_of_birth: String,
    pub clinician_id: String,
    pub clinician_name: String,
    pub starts_at: String,
    pub minutes: u32,
    pub reason: String,
    pub walk_in: bool,
    pub status: AppointmentStatusView,
    pub status_changed_at: String,
}

impl std::fmt::Debug for AppointmentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppointmentView").field("id", &self.id).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "AppointmentStatus")]
pub enum AppointmentStatusView {
    Booked,
    CheckedIn,
    InProgress,
    Completed,
    NoShow,
    Cancelled,
}

impl From<AppointmentStatus> for AppointmentStatusView {
    fn from(status: AppointmentStatus) -> Self {
        match status {
            AppointmentStatus::Booked => AppointmentStatusView::Booked,
            AppointmentStatus::CheckedIn => AppointmentStatusView::CheckedIn,
            AppointmentStatus::InProgress => AppointmentStatusView::InProgress,
            AppointmentStatus::Completed => AppointmentStatusView::Completed,
            AppointmentStatus::NoShow => AppointmentStatusView::NoShow,
            AppointmentStatus::Cancelled => AppointmentStatusView::Cancelled,
        }
    }
}

impl From<AppointmentStatusView> for AppointmentStatus {
    fn from(status: AppointmentStatusView) -> Self {
        match status {
            AppointmentStatusView::Booked => AppointmentStatus::Booked,
            AppointmentStatusView::CheckedIn => AppointmentStatus::CheckedIn,
            AppointmentStatusView::InProgress => AppointmentStatus::InProgress,
            AppointmentStatusView::Completed => AppointmentStatus::Completed,
            AppointmentStatusView::NoShow => AppointmentStatus::NoShow,
            AppointmentStatusView::Cancelled => AppointmentStatus::Cancelled,
        }
    }
}

impl From<Appointment> for AppointmentView {
    fn from(appointment: Appointment) -> Self {
        AppointmentView {
            id: appointment.id,
            patient_id: appointment.patient_id,
            patient_mrn: appointment.patient_mrn,
            patient_name: appointment.patient_name,
            patient_date_of_birth: appointment.patient_date_of_birth,
            clinician_id: appointment.clinician_id,
            clinician_name: appointment.clinician_name,
            starts_at: appointment.starts_at,
            minutes: appointment.minutes,
            reason: appointment.reason,
            walk_in: appointment.walk_in,
            status: appointment.status.into(),
            status_changed_at: appointment.status_changed_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClinicianDayView {
    pub clinician_id: String,
    pub clinician_name: String,
    pub appointments: Vec<AppointmentView>,
}

impl From<ClinicianDay> for ClinicianDayView {
    fn from(day: ClinicianDay) -> Self {
        ClinicianDayView {
            clinician_id: day.clinician_id,
            clinician_name: day.clinician_name,
            appointments: day.appointments.into_iter().map(AppointmentView::from).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewAppointmentView {
    pub patient_id: PatientId,
    pub clinician_id: String,
    /// RFC 3339.
    pub starts_at: String,
    pub minutes: u32,
    pub reason: String,
}

/// A column mapping for the import, as the UI edits it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportMappingView {
    pub columns: Vec<ColumnMappingView>,
    pub strip_name_digits: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMappingView {
    pub column: String,
    pub field: ImportField,
    /// How a date column writes its dates; none for other columns.
    pub date_format: Option<ColumnDateFormat>,
    pub optional: bool,
}

impl From<ImportMapping> for ImportMappingView {
    fn from(mapping: ImportMapping) -> Self {
        ImportMappingView {
            columns: mapping
                .columns
                .into_iter()
                .map(|column| ColumnMappingView {
                    column: column.column,
                    field: column.field,
                    date_format: column.date_format,
                    optional: column.optional,
                })
                .collect(),
            strip_name_digits: mapping.strip_name_digits,
        }
    }
}

impl From<ImportMappingView> for ImportMapping {
    fn from(view: ImportMappingView) -> Self {
        let columns = view
            .columns
            .into_iter()
            .map(|column| ColumnMapping {
                column: column.column,
                field: column.field,
                date_format: column.date_format,
                optional: column.optional,
            })
            .collect();
        ImportMapping { columns, strip_name_digits: view.strip_name_digits }
    }
}

/// A field a column can fill, with its words, for the mapping screen.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportFieldChoiceView {
    pub code: ImportField,
    pub label: String,
}

/// The fields a column can fill, for the mapping screen: code and words.
pub fn import_fields() -> Vec<ImportFieldChoiceView> {
    use chartkeep_clinic::patients::ImportField::*;
    [
        (FamilyName, "Family name"),
        (GivenNames, "Given names"),
        (MiddleName, "Middle name"),
        (PreferredName, "Preferred name"),
        (DateOfBirth, "Date of birth"),
        (Sex, "Sex"),
        (GenderIdentity, "Gender identity"),
        (MobilePhone, "Mobile phone"),
        (HomePhone, "Home phone"),
        (WorkPhone, "Work phone"),
        (Email, "Email"),
        (AddressLine1, "Street address"),
        (AddressLine2, "Address, second line"),
        (City, "Town or city"),
        (Region, "Region"),
        (PostalCode, "Postal code"),
        (Country, "Country"),
        (EmergencyContactName, "Emergency contact"),
        (EmergencyContactRelationship, "Emergency contact's relationship"),
        (EmergencyContactPhone, "Emergency contact's phone"),
        (InsurancePayer, "Insurer"),
        (InsuranceMemberId, "Member number"),
        (Note, "Front-desk note"),
        (DateOfDeath, "Date of death"),
    ]
    .into_iter()
    .map(|(field, label)| ImportFieldChoiceView { code: field, label: label.to_owned() })
    .collect()
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewView {
    pub headers: Vec<String>,
    pub rows: u32,
    pub sample: Vec<Vec<String>>,
    pub mapped: Vec<ImportedPatientView>,
    pub suggested_mapping: Option<String>,
}

impl std::fmt::Debug for ImportPreviewView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportPreviewView").field("rows", &self.rows).finish_non_exhaustive()
    }
}

impl From<ImportPreview> for ImportPreviewView {
    fn from(preview: ImportPreview) -> Self {
        ImportPreviewView {
            headers: preview.headers,
            rows: u32::try_from(preview.rows).unwrap_or(u32::MAX),
            sample: preview.sample,
            mapped: preview.mapped.into_iter().map(ImportedPatientView::from).collect(),
            suggested_mapping: preview.suggested_mapping,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblemView {
    pub line: u32,
    pub field: String,
    pub message: String,
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportDuplicateView {
    pub line: u32,
    pub signs: Vec<String>,
    pub existing_mrn: Option<String>,
    pub other_line: Option<u32>,
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReportView {
    pub rows: u32,
    pub valid: u32,
    pub problems: Vec<ImportProblemView>,
    pub duplicates: Vec<ImportDuplicateView>,
}

pub(crate) fn narrow(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl From<ImportReport> for ImportReportView {
    fn from(report: ImportReport) -> Self {
        ImportReportView {
            rows: narrow(report.rows),
            valid: narrow(report.valid),
            problems: report
                .problems
                .into_iter()
                .map(|ImportProblem { line, field, message }| ImportProblemView { line: narrow(line), field, message })
                .collect(),
            duplicates: report
                .duplicates
                .into_iter()
                .map(|ImportDuplicate { line, signs, existing_mrn, other_line }| ImportDuplicateView {
                    line: narrow(line),
                    signs: signs.into_iter().map(|sign| sign.as_str().to_owned()).collect(),
                    existing_mrn,
                    other_line: other_line.map(narrow),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummaryView {
    pub imported: u32,
    pub flagged_for_review: u32,
    pub skipped_invalid: u32,
}

impl From<ImportSummary> for ImportSummaryView {
    fn from(summary: ImportSummary) -> Self {
        ImportSummaryView {
            imported: narrow(summary.imported),
            flagged_for_review: narrow(summary.flagged_for_review),
            skipped_invalid: narrow(summary.skipped_invalid),
        }
    }
}

/// How far an import or its check has got, sent as the "import-progress" event.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgressView {
    pub done: u32,
    pub total: u32,
}

#[derive(Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisclosureFormView {
    pub disclosed_on: String,
    pub recipient: String,
    pub purpose: String,
    pub information: String,
}

impl From<DisclosureFormView> for chartkeep_clinic::NewDisclosure {
    fn from(form: DisclosureFormView) -> Self {
        chartkeep_clinic::NewDisclosure {
            disclosed_on: form.disclosed_on,
            recipient: form.recipient,
            purpose: form.purpose,
            information: form.information,
        }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisclosureView {
    pub id: String,
    pub disclosed_on: String,
    pub recipient: String,
    pub purpose: String,
    pub information: String,
    pub corrects_id: Option<String>,
    pub correction_reason: Option<String>,
    pub corrected: bool,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl From<Disclosure> for DisclosureView {
    fn from(disclosure: Disclosure) -> Self {
        DisclosureView {
            id: disclosure.id,
            disclosed_on: disclosure.disclosed_on,
            recipient: disclosure.recipient,
            purpose: disclosure.purpose,
            information: disclosure.information,
            corrects_id: disclosure.corrects_id,
            correction_reason: disclosure.correction_reason,
            corrected: disclosure.corrected,
            recorded_by: disclosure.recorded_by,
            recorded_at: disclosure.recorded_at,
        }
    }
}

#[derive(Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AmendmentRequestFormView {
    pub received_on: String,
    /// Read strictly by `amendment_item`, so a wrong one gets a plain error.
    #[ts(as = "AmendmentItem")]
    pub item: String,
    pub item_id: Option<String>,
    pub requested_change: String,
}

/// Reads what an amendment request is about strictly: an unknown value is refused (it decides
/// who may decide the request).
pub fn amendment_item(code: &str) -> chartkeep_clinic::ClinicResult<AmendmentItem> {
    AmendmentItem::parse(code)
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AmendmentRequestView {
    pub id: String,
    pub received_on: String,
    pub item: AmendmentItem,
    pub item_id: Option<String>,
    pub requested_change: String,
    pub recorded_by: String,
    pub recorded_at: String,
    /// Once decided.
    pub decision: Option<AmendmentOutcome>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub applied_item_id: Option<String>,
}

impl From<AmendmentRequest> for AmendmentRequestView {
    fn from(request: AmendmentRequest) -> Self {
        let decision = request.decision;
        AmendmentRequestView {
            id: request.id,
            received_on: request.received_on,
            item: request.item,
            item_id: request.item_id,
            requested_change: request.requested_change,
            recorded_by: request.recorded_by,
            recorded_at: request.recorded_at,
            decision: decision.as_ref().map(|decision| decision.outcome),
            decision_reason: decision.as_ref().map(|decision| decision.reason.clone()),
            decided_by: decision.as_ref().map(|decision| decision.decided_by.clone()),
            decided_at: decision.as_ref().map(|decision| decision.decided_at.clone()),
            applied_item_id: decision.and_then(|decision| decision.applied_item_id),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessView {
    pub id: String,
    pub patient_id: PatientId,
    pub expires_at: String,
}

impl From<EmergencyAccess> for EmergencyAccessView {
    fn from(access: EmergencyAccess) -> Self {
        EmergencyAccessView { id: access.id, patient_id: access.patient_id, expires_at: access.expires_at }
    }
}

redacted!(
    DisclosureFormView,
    DisclosureView,
    AmendmentRequestFormView,
    AmendmentRequestView,
    ImportDuplicateView,
    ImportReportView
);
