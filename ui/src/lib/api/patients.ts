// The patient record commands: the one search box, the duplicate check, registration, opening
// and changing a record, History and merges. Like commands.ts, each resolves with the command's
// value or rejects with a CommandError. Nothing here keeps what it sends or receives.
import type {
  DuplicateCandidateView,
  PatientFormView,
  PatientMergeView,
  PatientRecordView,
  PatientSearchView,
  PatientVersionView,
} from '../../generated/bindings';
import { call } from './commands';

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

/** Every version of a record, oldest first, with who changed which fields and when. */
export function patientHistory(patientId: string): Promise<PatientVersionView[]> {
  return call<PatientVersionView[]>('patient_history', { patientId });
}

export function patientMerges(patientId: string): Promise<PatientMergeView[]> {
  return call<PatientMergeView[]>('patient_merges', { patientId });
}
