//! Commands of the front desk: appointments and each clinician's day, the CSV import (with
//! progress events and cancel), disclosures, amendment requests, emergency access, and the
//! practice's date order.

use chartkeep_clinic::patients::PatientId;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use chartkeep_clinic::patients::{DateOrder, ImportMapping};
use chartkeep_clinic::{AmendmentOutcome, NewAmendmentRequest, NewAppointment};
use tauri::{AppHandle, Emitter, Manager, State};

use super::Reply;
use crate::dto::audit::StaffChoiceView;
use crate::dto::front_desk::{
    AmendmentRequestFormView, AmendmentRequestView, AppointmentStatusView, AppointmentView, ClinicianDayView,
    DisclosureFormView, DisclosureView, EmergencyAccessView, ImportFieldChoiceView, ImportMappingView,
    ImportPreviewView, ImportProgressView, ImportReportView, ImportSummaryView, NewAppointmentView, amendment_item,
    import_fields as fields,
};
use crate::state::AppState;

#[tauri::command]
pub fn clinicians(state: State<'_, AppState>) -> Reply<Vec<StaffChoiceView>> {
    let clinicians = state.with_session(|session| session.clinicians())?;
    Ok(clinicians.into_iter().map(Into::into).collect())
}

/// Each clinician's appointments between two instants: a day in local time.
#[tauri::command]
pub fn day_schedule(state: State<'_, AppState>, from: String, to: String) -> Reply<Vec<ClinicianDayView>> {
    let days = state.with_session(|session| session.day_schedule(&from, &to))?;
    Ok(days.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn book_appointment(
    state: State<'_, AppState>,
    appointment: NewAppointmentView,
    accept_overlap: bool,
) -> Reply<AppointmentView> {
    let new = NewAppointment {
        patient_id: appointment.patient_id,
        clinician_id: appointment.clinician_id,
        starts_at: appointment.starts_at,
        minutes: appointment.minutes,
        reason: appointment.reason,
    };
    state.with_session(|session| session.book_appointment(&new, accept_overlap)).map(Into::into)
}

#[tauri::command]
pub fn register_walk_in(
    state: State<'_, AppState>,
    patient_id: PatientId,
    clinician_id: String,
    minutes: u32,
    reason: String,
) -> Reply<AppointmentView> {
    state.with_session(|session| session.register_walk_in(&patient_id, &clinician_id, minutes, &reason)).map(Into::into)
}

#[tauri::command]
pub fn reschedule_appointment(
    state: State<'_, AppState>,
    appointment_id: String,
    starts_at: String,
    minutes: u32,
    clinician_id: String,
    accept_overlap: bool,
) -> Reply<AppointmentView> {
    state
        .with_session(|session| {
            session.reschedule_appointment(&appointment_id, &starts_at, minutes, &clinician_id, accept_overlap)
        })
        .map(Into::into)
}

#[tauri::command]
pub fn set_appointment_status(
    state: State<'_, AppState>,
    appointment_id: String,
    status: AppointmentStatusView,
    cancel_reason: Option<String>,
) -> Reply<AppointmentView> {
    state
        .with_session(|session| {
            session.set_appointment_status(&appointment_id, status.into(), cancel_reason.as_deref())
        })
        .map(Into::into)
}

#[tauri::command]
pub fn patient_appointments(state: State<'_, AppState>, patient_id: PatientId) -> Reply<Vec<AppointmentView>> {
    let appointments = state.with_session(|session| session.patient_appointments(&patient_id))?;
    Ok(appointments.into_iter().map(Into::into).collect())
}

/// The fields an import column can fill. Vocabulary, not data: no session needed.
#[tauri::command]
pub fn import_fields() -> Vec<ImportFieldChoiceView> {
    fields()
}

#[tauri::command]
pub fn import_mapping_names(state: State<'_, AppState>) -> Reply<Vec<String>> {
    state.with_session(|session| session.import_mapping_names())
}

#[tauri::command]
pub fn import_mapping(state: State<'_, AppState>, name: String) -> Reply<ImportMappingView> {
    state.with_session(|session| session.import_mapping(&name)).map(Into::into)
}

#[tauri::command]
pub fn save_import_mapping(state: State<'_, AppState>, name: String, mapping: ImportMappingView) -> Reply<()> {
    let mapping = ImportMapping::from(mapping);
    state.with_session(|session| session.save_import_mapping(&name, &mapping))
}

#[tauri::command(async)]
pub fn preview_import(
    state: State<'_, AppState>,
    path: PathBuf,
    mapping: Option<ImportMappingView>,
) -> Reply<ImportPreviewView> {
    let mapping = mapping.map(ImportMapping::from);
    state.with_session(|session| session.preview_import(&path, mapping.as_ref())).map(Into::into)
}

/// Reports progress as "import-progress" events; `cancel_import` stops it.
fn progress_to(app: &AppHandle, state: &AppState) -> impl FnMut(u64, u64) -> bool {
    state.import_cancelled.store(false, Ordering::SeqCst);
    move |done, total| {
        let progress = ImportProgressView {
            done: u32::try_from(done).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        };
        let _ = app.emit("import-progress", progress);
        !app.state::<AppState>().import_cancelled.load(Ordering::SeqCst)
    }
}

#[tauri::command(async)]
pub fn dry_run_import(
    app: AppHandle,
    state: State<'_, AppState>,
    path: PathBuf,
    mapping: ImportMappingView,
) -> Reply<ImportReportView> {
    let mapping = ImportMapping::from(mapping);
    let mut progress = progress_to(&app, &state);
    state.with_session(|session| session.dry_run_import(&path, &mapping, &mut progress)).map(Into::into)
}

#[tauri::command(async)]
pub fn import_patients(
    app: AppHandle,
    state: State<'_, AppState>,
    path: PathBuf,
    mapping: ImportMappingView,
    skip_invalid_rows: bool,
) -> Reply<ImportSummaryView> {
    let mapping = ImportMapping::from(mapping);
    let mut progress = progress_to(&app, &state);
    state
        .with_session(|session| session.import_patients(&path, &mapping, skip_invalid_rows, &mut progress))
        .map(Into::into)
}

/// Stops an import or its check; nothing is imported.
#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.import_cancelled.store(true, Ordering::SeqCst);
}

#[tauri::command]
pub fn record_disclosure(
    state: State<'_, AppState>,
    patient_id: PatientId,
    disclosure: DisclosureFormView,
) -> Reply<DisclosureView> {
    state.with_session(|session| session.record_disclosure(&patient_id, &disclosure.into())).map(Into::into)
}

#[tauri::command]
pub fn correct_disclosure(
    state: State<'_, AppState>,
    disclosure_id: String,
    disclosure: DisclosureFormView,
    reason: String,
) -> Reply<DisclosureView> {
    let new = disclosure.into();
    state.with_session(|session| session.correct_disclosure(&disclosure_id, &new, &reason)).map(Into::into)
}

#[tauri::command]
pub fn patient_disclosures(state: State<'_, AppState>, patient_id: PatientId) -> Reply<Vec<DisclosureView>> {
    let disclosures = state.with_session(|session| session.patient_disclosures(&patient_id))?;
    Ok(disclosures.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn record_amendment_request(
    state: State<'_, AppState>,
    patient_id: PatientId,
    request: AmendmentRequestFormView,
) -> Reply<AmendmentRequestView> {
    let new = NewAmendmentRequest {
        received_on: request.received_on,
        item: amendment_item(&request.item)?,
        item_id: request.item_id,
        requested_change: request.requested_change,
    };
    state.with_session(|session| session.record_amendment_request(&patient_id, &new)).map(Into::into)
}

/// Decides a request once: `accepted` true or false, with the reason.
#[tauri::command]
pub fn decide_amendment_request(
    state: State<'_, AppState>,
    request_id: String,
    accepted: bool,
    reason: String,
) -> Reply<AmendmentRequestView> {
    let outcome = if accepted { AmendmentOutcome::Accepted } else { AmendmentOutcome::Denied };
    state.with_session(|session| session.decide_amendment_request(&request_id, outcome, &reason, None)).map(Into::into)
}

#[tauri::command]
pub fn patient_amendment_requests(
    state: State<'_, AppState>,
    patient_id: PatientId,
) -> Reply<Vec<AmendmentRequestView>> {
    let requests = state.with_session(|session| session.patient_amendment_requests(&patient_id))?;
    Ok(requests.into_iter().map(Into::into).collect())
}

/// Asks for emergency ("break-glass") access to one patient's chart, with a typed reason.
#[tauri::command]
pub fn request_emergency_access(
    state: State<'_, AppState>,
    patient_id: PatientId,
    reason: String,
) -> Reply<EmergencyAccessView> {
    state.with_session(|session| session.request_emergency_access(&patient_id, &reason)).map(Into::into)
}

/// "dmy" (07/03/1984 is the 7th of March) or "mdy".
#[tauri::command]
pub fn date_order(state: State<'_, AppState>) -> Reply<DateOrder> {
    state.with_session(|session| session.date_order())
}

#[tauri::command]
pub fn set_date_order(state: State<'_, AppState>, order: String) -> Reply<()> {
    state.with_session(|session| session.set_date_order(DateOrder::parse(&order)?))
}
