// The patient record commands (commands/patients.rs): the one search box, the duplicate check,
// registration, opening and changing a record, History, records entered in error, and the
// duplicate review with merges. Each resolves with the command's value or rejects with a
// CommandError (see invoke.ts). Nothing here keeps what it sends or receives.
import type {
  DuplicateCandidateView,
  DuplicateReviewItemView,
  PatientFormView,
  PatientMergeView,
  PatientRecordView,
  PatientSearchView,
  PatientSummaryView,
  PatientVersionView,
} from '../../generated/bindings';
import { call } from './invoke';

/** Names, a date of birth, phone digits or an MRN; each search is audited (without the text). */
export function searchPatients(query: string): Promise<PatientSearchView> {
  return call<PatientSearchView>('search_patients', { query });
}

/** Probable existing records of the person being registered; audited as a search. */
export function checkForDuplicates(form: PatientFormView): Promise<DuplicateCandidateView[]> {
  return call<DuplicateCandidateView[]>('check_for_duplicates', { form });
}

/**
 * Registers a patient. Rejects with `needs_confirmation` while a probable duplicate is not in
 * `confirmedNewDespite` (the ids the user confirmed to be other people).
 */
export function registerPatient(form: PatientFormView, confirmedNewDespite: string[]): Promise<PatientRecordView> {
  return call<PatientRecordView>('register_patient', { form, confirmedNewDespite });
}

/** Opens a record; `fromDuplicateWarning` when chosen instead of registering a new patient. */
export function openPatient(patientId: string, fromDuplicateWarning: boolean): Promise<PatientRecordView> {
  return call<PatientRecordView>('open_patient', { patientId, fromDuplicateWarning });
}

/** Saves a change to `version`; rejects with `stale_record` when someone else saved since. */
export function updatePatient(patientId: string, version: number, form: PatientFormView): Promise<PatientRecordView> {
  return call<PatientRecordView>('update_patient', { patientId, version, form });
}

export function markPatientEnteredInError(patientId: string, version: number, reason: string): Promise<void> {
  return call<void>('mark_patient_entered_in_error', { patientId, version, reason });
}

/** Every version of a record, oldest first, as the Rust side sends them. */
export function patientHistory(patientId: string): Promise<PatientVersionView[]> {
  return call<PatientVersionView[]>('patient_history', { patientId });
}

export function enteredInErrorPatients(): Promise<PatientSummaryView[]> {
  return call<PatientSummaryView[]>('entered_in_error_patients');
}

/**
 * Records an import flagged as probable duplicates, each beside the record it resembles: an
 * existing patient, or the record made from an earlier row of the same file (followed to its
 * survivor if it was merged since); null when that is not known.
 */
export function duplicateReviewQueue(): Promise<DuplicateReviewItemView[]> {
  return call<DuplicateReviewItemView[]>('duplicate_review_queue');
}

/** Takes a record off the review list: it is a different person. */
export function dismissDuplicateReview(patientId: string): Promise<void> {
  return call<void>('dismiss_duplicate_review', { patientId });
}

/** Both records, to compare before a merge: [survivor, duplicate]. */
export function mergePreview(survivorId: string, duplicateId: string): Promise<[PatientRecordView, PatientRecordView]> {
  return call<[PatientRecordView, PatientRecordView]>('merge_preview', { survivorId, duplicateId });
}

/** Merges the duplicate into the survivor; clears both records' review flags. */
export function mergePatients(survivorId: string, duplicateId: string): Promise<PatientMergeView> {
  return call<PatientMergeView>('merge_patients', { survivorId, duplicateId });
}

export function unmergePatients(mergeId: string): Promise<void> {
  return call<void>('unmerge_patients', { mergeId });
}

/** A record by its MRN, for a merge (an alias's MRN leads to the record it was merged into). */
export function patientForMerge(mrn: string): Promise<PatientSummaryView> {
  return call<PatientSummaryView>('patient_for_merge', { mrn });
}

/**
 * The merges a record took part in, newest first, both records named. The Owner may list them
 * without reading patients otherwise.
 */
export function patientMerges(patientId: string): Promise<PatientMergeView[]> {
  return call<PatientMergeView[]>('patient_merges', { patientId });
}
