//! Commands of the patient records: the search box, the duplicate check, registration,
//! opening and changing a record, History, entered in error, and merges.

use chartkeep_clinic::patients::PatientId;
use tauri::State;

use super::Reply;
use crate::dto::patients::{
    DuplicateCandidateView, DuplicateReviewItemView, PatientFormView, PatientMergeView, PatientRecordView,
    PatientSearchView, PatientSummaryView, PatientVersionView,
};
use crate::state::AppState;

#[tauri::command]
pub fn search_patients(state: State<'_, AppState>, query: String) -> Reply<PatientSearchView> {
    state.with_session(|session| session.search_patients(&query)).map(Into::into)
}

#[tauri::command]
pub fn check_for_duplicates(state: State<'_, AppState>, form: PatientFormView) -> Reply<Vec<DuplicateCandidateView>> {
    let found = state.with_session(|session| session.check_for_duplicates(&form.into()))?;
    Ok(found.into_iter().map(Into::into).collect())
}

/// Registers a patient; `confirmedNewDespite` lists the probable duplicates the user looked at
/// and confirmed to be other people.
#[tauri::command]
pub fn register_patient(
    state: State<'_, AppState>,
    form: PatientFormView,
    confirmed_new_despite: Vec<PatientId>,
) -> Reply<PatientRecordView> {
    state.with_session(|session| session.register_patient(&form.into(), &confirmed_new_despite)).map(Into::into)
}

/// Opens a record. `fromDuplicateWarning` says it was opened from a duplicate warning instead
/// of registering a new patient (the choice is audited).
#[tauri::command]
pub fn open_patient(
    state: State<'_, AppState>,
    patient_id: PatientId,
    from_duplicate_warning: bool,
) -> Reply<PatientRecordView> {
    let context = if from_duplicate_warning { "duplicate_warning" } else { "search" };
    state.with_session(|session| session.open_patient(&patient_id, context)).map(Into::into)
}

#[tauri::command]
pub fn update_patient(
    state: State<'_, AppState>,
    patient_id: PatientId,
    version: u32,
    form: PatientFormView,
) -> Reply<PatientRecordView> {
    state.with_session(|session| session.update_patient(&patient_id, version, &form.into())).map(Into::into)
}

#[tauri::command]
pub fn mark_patient_entered_in_error(
    state: State<'_, AppState>,
    patient_id: PatientId,
    version: u32,
    reason: String,
) -> Reply<()> {
    state.with_session(|session| session.mark_patient_entered_in_error(&patient_id, version, &reason))
}

#[tauri::command]
pub fn patient_history(state: State<'_, AppState>, patient_id: PatientId) -> Reply<Vec<PatientVersionView>> {
    let versions = state.with_session(|session| session.patient_history(&patient_id))?;
    Ok(versions.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn entered_in_error_patients(state: State<'_, AppState>) -> Reply<Vec<PatientSummaryView>> {
    let patients = state.with_session(|session| session.entered_in_error_patients())?;
    Ok(patients.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn duplicate_review_queue(state: State<'_, AppState>) -> Reply<Vec<DuplicateReviewItemView>> {
    let items = state.with_session(|session| session.duplicate_review_queue())?;
    Ok(items.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn dismiss_duplicate_review(state: State<'_, AppState>, patient_id: PatientId) -> Reply<()> {
    state.with_session(|session| session.dismiss_duplicate_review(&patient_id))
}

/// Both records side by side before a merge: (survivor, duplicate).
#[tauri::command]
pub fn merge_preview(
    state: State<'_, AppState>,
    survivor_id: PatientId,
    duplicate_id: PatientId,
) -> Reply<(PatientRecordView, PatientRecordView)> {
    let (survivor, duplicate) = state.with_session(|session| session.merge_preview(&survivor_id, &duplicate_id))?;
    Ok((survivor.into(), duplicate.into()))
}

#[tauri::command]
pub fn merge_patients(
    state: State<'_, AppState>,
    survivor_id: PatientId,
    duplicate_id: PatientId,
) -> Reply<PatientMergeView> {
    state.with_session(|session| session.merge_patients(&survivor_id, &duplicate_id)).map(Into::into)
}

#[tauri::command]
pub fn unmerge_patients(state: State<'_, AppState>, merge_id: String) -> Reply<()> {
    state.with_session(|session| session.unmerge_patients(&merge_id))
}

/// A record found by its MRN for the Owner to compare and merge.
#[tauri::command]
pub fn patient_for_merge(state: State<'_, AppState>, mrn: String) -> Reply<PatientSummaryView> {
    state.with_session(|session| session.patient_for_merge(&mrn)).map(Into::into)
}

#[tauri::command]
pub fn patient_merges(state: State<'_, AppState>, patient_id: PatientId) -> Reply<Vec<PatientMergeView>> {
    let merges = state.with_session(|session| session.patient_merges(&patient_id))?;
    Ok(merges.into_iter().map(Into::into).collect())
}
