//! Commands of the audit view: pages of the trail, the integrity status, verification, alerts,
//! and exports to files the user chose. Each is arguments in, one core call, a DTO out.

use chartkeep_clinic::WallClock;
use chartkeep_clinic::audit::query::AuditFilter;
use chartkeep_clinic::patients::PatientId;
use tauri::State;

use super::Reply;
use crate::dto::SavedFileView;
use crate::dto::audit::{
    AuditFilterView, AuditPageView, AuditSortView, ChoiceView, IntegrityStatusView, StaffChoiceView, VerificationView,
    audit_action_choices as action_choices,
};
use crate::save_dialog::{SaveDialog, ask_where_to_save};
use crate::state::AppState;

#[tauri::command]
pub fn audit_entries(
    state: State<'_, AppState>,
    filter: AuditFilterView,
    sort: AuditSortView,
    offset: u32,
    limit: u32,
) -> Reply<AuditPageView> {
    let filter = AuditFilter::try_from(filter)?;
    state.with_session(|session| session.audit_entries(&filter, sort.into(), offset.into(), limit)).map(Into::into)
}

/// The actions to filter by, in words. Vocabulary, not data: no session needed.
#[tauri::command]
pub fn audit_action_choices() -> Vec<ChoiceView> {
    action_choices()
}

/// The patient with this MRN, for the patient filter: `{id, label}`.
#[tauri::command]
pub fn audit_patient_by_mrn(state: State<'_, AppState>, mrn: String) -> Reply<ChoiceView> {
    let (id, label) = state.with_session(|session| session.audit_patient_by_mrn(&mrn))?;
    Ok(ChoiceView { code: id.into(), label })
}

#[tauri::command]
pub fn audit_staff_choices(state: State<'_, AppState>) -> Reply<Vec<StaffChoiceView>> {
    let choices = state.with_session(|session| session.audit_staff_choices())?;
    Ok(choices.into_iter().map(StaffChoiceView::from).collect())
}

#[tauri::command]
pub fn audit_integrity_status(state: State<'_, AppState>) -> Reply<IntegrityStatusView> {
    state.with_session(|session| session.audit_integrity_status()).map(Into::into)
}

/// How many integrity alerts the signed-in user should see now (0 for roles without the audit view).
#[tauri::command]
pub fn integrity_alerts_to_show(state: State<'_, AppState>) -> Reply<u32> {
    let count = state.with_session(|session| session.integrity_alerts_to_show())?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

#[tauri::command(async)]
pub fn verify_audit_chain(state: State<'_, AppState>) -> Reply<VerificationView> {
    state.with_session(|session| session.verify_audit_chain()).map(Into::into)
}

#[tauri::command]
pub fn acknowledge_integrity_alert(state: State<'_, AppState>, alert_id: String, comment: String) -> Reply<()> {
    state.with_session(|session| session.acknowledge_integrity_alert(&alert_id, &comment))
}

/// The filtered audit trail as CSV, where the person chooses; `None` when they closed the dialog.
#[tauri::command(async)]
pub fn export_audit_csv(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: AuditFilterView,
    sort: AuditSortView,
    suggested_name: String,
) -> Reply<Option<SavedFileView>> {
    let filter = AuditFilter::try_from(filter)?;
    let dialog = SaveDialog {
        title: "Export the audit trail as CSV",
        suggested_name: &suggested_name,
        kind: "CSV",
        extension: "csv",
    };
    let Some(destination) = ask_where_to_save(&app, dialog) else { return Ok(None) };
    let count = state.with_session(|session| session.export_audit_csv(&filter, sort.into(), &destination))?;
    Ok(Some(SavedFileView::of(&destination, count)))
}

/// The filtered audit trail as a PDF report, where the person chooses.
#[tauri::command(async)]
pub fn export_audit_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: AuditFilterView,
    sort: AuditSortView,
    offset_minutes: i16,
    suggested_name: String,
) -> Reply<Option<SavedFileView>> {
    let filter = AuditFilter::try_from(filter)?;
    let dialog = SaveDialog {
        title: "Export the audit trail as PDF",
        suggested_name: &suggested_name,
        kind: "PDF",
        extension: "pdf",
    };
    let Some(destination) = ask_where_to_save(&app, dialog) else { return Ok(None) };
    let wall_clock = WallClock { offset_minutes };
    let count =
        state.with_session(|session| session.export_audit_pdf(&filter, sort.into(), wall_clock, &destination))?;
    Ok(Some(SavedFileView::of(&destination, count)))
}

/// "Who accessed this record" for one patient over a period, as a PDF where the person chooses.
#[tauri::command(async)]
pub fn patient_access_report(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    patient_id: PatientId,
    from: String,
    to: String,
    offset_minutes: i16,
    suggested_name: String,
) -> Reply<Option<SavedFileView>> {
    let dialog =
        SaveDialog { title: "Save the access report", suggested_name: &suggested_name, kind: "PDF", extension: "pdf" };
    let Some(destination) = ask_where_to_save(&app, dialog) else { return Ok(None) };
    let wall_clock = WallClock { offset_minutes };
    let count = state
        .with_session(|session| session.patient_access_report(&patient_id, (&from, &to), wall_clock, &destination))?;
    Ok(Some(SavedFileView::of(&destination, count)))
}
