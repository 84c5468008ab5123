//! Commands of the clinical chart: opening it, encounters and their notes (draft, autosave,
//! sign, addenda), allergies, medications and problems, amendments accepted on the chart, the
//! printed summary and the FHIR export.

use chartkeep_clinic::WallClock;
use chartkeep_clinic::patients::PatientId;
use tauri::State;

use super::Reply;
use crate::dto::SavedFileView;
use crate::dto::chart::{
    ChartItemVersionView, ChartItemView, EncounterView, ItemFormView, OpenedChartView, SoapNoteView, encounter_kind,
};
use crate::dto::front_desk::AmendmentRequestView;
use crate::save_dialog::{SaveDialog, ask_where_to_save};
use crate::state::AppState;

#[tauri::command]
pub fn open_chart(state: State<'_, AppState>, patient_id: PatientId) -> Reply<OpenedChartView> {
    state.with_session(|session| session.open_chart(&patient_id)).map(Into::into)
}

/// Starts an encounter with an empty draft; `occurredAt` (RFC 3339) empty means now.
#[tauri::command]
pub fn start_encounter(
    state: State<'_, AppState>,
    patient_id: PatientId,
    kind: String,
    occurred_at: String,
) -> Reply<EncounterView> {
    state
        .with_session(|session| session.start_encounter(&patient_id, encounter_kind(&kind)?, &occurred_at))
        .map(Into::into)
}

/// Saves the author's draft as it stands (the UI autosaves while they type).
#[tauri::command]
pub fn save_draft_note(
    state: State<'_, AppState>,
    encounter_id: String,
    kind: String,
    note: SoapNoteView,
) -> Reply<EncounterView> {
    state
        .with_session(|session| session.save_draft_note(&encounter_id, encounter_kind(&kind)?, &note.into()))
        .map(Into::into)
}

#[tauri::command]
pub fn discard_draft_note(state: State<'_, AppState>, encounter_id: String) -> Reply<()> {
    state.with_session(|session| session.discard_draft_note(&encounter_id))
}

#[tauri::command]
pub fn sign_note(state: State<'_, AppState>, encounter_id: String) -> Reply<EncounterView> {
    state.with_session(|session| session.sign_note(&encounter_id)).map(Into::into)
}

#[tauri::command]
pub fn add_addendum(state: State<'_, AppState>, encounter_id: String, text: String) -> Reply<EncounterView> {
    state.with_session(|session| session.add_addendum(&encounter_id, &text)).map(Into::into)
}

#[tauri::command]
pub fn encounter(state: State<'_, AppState>, encounter_id: String) -> Reply<EncounterView> {
    state.with_session(|session| session.encounter(&encounter_id)).map(Into::into)
}

#[tauri::command]
pub fn record_chart_item(
    state: State<'_, AppState>,
    patient_id: PatientId,
    item: ItemFormView,
) -> Reply<ChartItemView> {
    state.with_session(|session| session.record_chart_item(&patient_id, &item.into())).map(Into::into)
}

#[tauri::command]
pub fn update_chart_item(
    state: State<'_, AppState>,
    item_id: String,
    version: u32,
    item: ItemFormView,
) -> Reply<ChartItemView> {
    state.with_session(|session| session.update_chart_item(&item_id, version, &item.into())).map(Into::into)
}

#[tauri::command]
pub fn mark_chart_item_entered_in_error(
    state: State<'_, AppState>,
    item_id: String,
    version: u32,
    reason: String,
) -> Reply<()> {
    state.with_session(|session| session.mark_chart_item_entered_in_error(&item_id, version, &reason))
}

#[tauri::command]
pub fn chart_item_history(state: State<'_, AppState>, item_id: String) -> Reply<Vec<ChartItemVersionView>> {
    let versions = state.with_session(|session| session.chart_item_history(&item_id))?;
    Ok(versions.into_iter().map(Into::into).collect())
}

/// Accepts an amendment to an allergy, medication or problem with the corrected item.
#[tauri::command]
pub fn accept_amendment_to_item(
    state: State<'_, AppState>,
    request_id: String,
    reason: String,
    item_id: String,
    version: u32,
    item: ItemFormView,
) -> Reply<AmendmentRequestView> {
    state
        .with_session(|session| session.accept_amendment_to_item(&request_id, &reason, &item_id, version, &item.into()))
        .map(Into::into)
}

/// Accepts an amendment to a signed note with an addendum.
#[tauri::command]
pub fn accept_amendment_to_note(
    state: State<'_, AppState>,
    request_id: String,
    reason: String,
    encounter_id: String,
    addendum: String,
) -> Reply<AmendmentRequestView> {
    state
        .with_session(|session| session.accept_amendment_to_note(&request_id, &reason, &encounter_id, &addendum))
        .map(Into::into)
}

/// Prints the patient summary (the last `encounters` signed encounters) to a PDF where the
/// person chooses in the save dialog; `None` when they closed it.
#[tauri::command(async)]
pub fn print_patient_summary(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    patient_id: PatientId,
    encounters: u32,
    offset_minutes: i16,
    suggested_name: String,
) -> Reply<Option<SavedFileView>> {
    let dialog = SaveDialog {
        title: "Save the patient summary",
        suggested_name: &suggested_name,
        kind: "PDF",
        extension: "pdf",
    };
    let Some(destination) = ask_where_to_save(&app, dialog) else { return Ok(None) };
    let wall_clock = WallClock { offset_minutes };
    let included = state.with_session(|session| {
        session.print_patient_summary(&patient_id, encounters as usize, wall_clock, &destination)
    })?;
    Ok(Some(SavedFileView::of(&destination, included)))
}

/// Exports the patient's record as a FHIR R4 Bundle (JSON) where the person chooses.
#[tauri::command(async)]
pub fn export_patient_fhir(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    patient_id: PatientId,
    suggested_name: String,
) -> Reply<Option<SavedFileView>> {
    let dialog = SaveDialog {
        title: "Export the record as FHIR",
        suggested_name: &suggested_name,
        kind: "FHIR JSON",
        extension: "json",
    };
    let Some(destination) = ask_where_to_save(&app, dialog) else { return Ok(None) };
    let entries = state.with_session(|session| session.export_patient_fhir(&patient_id, &destination))?;
    Ok(Some(SavedFileView::of(&destination, entries)))
}
