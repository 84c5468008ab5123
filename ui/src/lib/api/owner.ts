// The Owner's patient-record commands: importing patients from a CSV file, the duplicate review
// and merges, the records entered in error with their History, and the practice's date order.
// Like commands.ts, each resolves with the command's value or rejects with a CommandError.
import { listen } from '@tauri-apps/api/event';
import type {
  ChoiceView,
  DuplicateReviewItemView,
  ImportMappingView,
  ImportPreviewView,
  ImportProgressView,
  ImportReportView,
  ImportSummaryView,
  PatientMergeView,
  PatientRecordView,
  PatientSummaryView,
  PatientVersionView,
} from '../../generated/bindings';
import { call } from './commands';

// --- Import ---

/** The fields a file's column can fill: code and words. */
export function importFields(): Promise<ChoiceView[]> {
  return call<ChoiceView[]>('import_fields');
}

/** "synthea" (the built-in layout of Synthea's patients.csv) first, then the saved mappings. */
export function importMappingNames(): Promise<string[]> {
  return call<string[]>('import_mapping_names');
}

export function importMapping(name: string): Promise<ImportMappingView> {
  return call<ImportMappingView>('import_mapping', { name });
}

/** Saves a mapping under a name, replacing one of the same name. */
export function saveImportMapping(name: string, mapping: ImportMappingView): Promise<void> {
  return call<void>('save_import_mapping', { name, mapping });
}

/** The file's column names and first rows; through the mapping too, when one is given. */
export function previewImport(path: string, mapping: ImportMappingView | null): Promise<ImportPreviewView> {
  return call<ImportPreviewView>('preview_import', { path, mapping });
}

/** Checks every row without importing anything; sends "import-progress" events. */
export function dryRunImport(path: string, mapping: ImportMappingView): Promise<ImportReportView> {
  return call<ImportReportView>('dry_run_import', { path, mapping });
}

/**
 * Imports the file in one go (all valid rows or nothing); sends "import-progress" events. With
 * invalid rows it is refused unless `skipInvalidRows`.
 */
export function importPatients(
  path: string,
  mapping: ImportMappingView,
  skipInvalidRows: boolean,
): Promise<ImportSummaryView> {
  return call<ImportSummaryView>('import_patients', { path, mapping, skipInvalidRows });
}

/** Stops the running check or import; the command then fails and nothing is imported. */
export function cancelImport(): Promise<void> {
  return call<void>('cancel_import');
}

/** Calls `handler` with each progress event of a check or import; resolves with the way to stop. */
export async function onImportProgress(handler: (progress: ImportProgressView) => void): Promise<() => void> {
  return listen<ImportProgressView>('import-progress', (event) => handler(event.payload));
}

// --- Duplicate review and merges ---

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

/**
 * The merges a record took part in, newest first, both records named. The Owner may list them
 * without reading patients otherwise.
 */
/** A record by its MRN, for a merge (an alias's MRN leads to the record it was merged into). */
export function patientForMerge(mrn: string): Promise<PatientSummaryView> {
  return call<PatientSummaryView>('patient_for_merge', { mrn });
}

export function patientMerges(patientId: string): Promise<PatientMergeView[]> {
  return call<PatientMergeView[]>('patient_merges', { patientId });
}

// --- Records entered in error ---

export function enteredInErrorPatients(): Promise<PatientSummaryView[]> {
  return call<PatientSummaryView[]>('entered_in_error_patients');
}

/** Every version of a record, oldest first, as the Rust side sends them. */
export function patientHistory(patientId: string): Promise<PatientVersionView[]> {
  return call<PatientVersionView[]>('patient_history', { patientId });
}

// --- The practice's date order ---

/** How the practice writes dates: "dmy" (07/03/1984 is 7 March) or "mdy" (July 3). */
export type DateOrder = 'dmy' | 'mdy';

export async function dateOrder(): Promise<DateOrder> {
  return (await call<string>('date_order')) === 'mdy' ? 'mdy' : 'dmy';
}

export function setDateOrder(order: DateOrder): Promise<void> {
  return call<void>('set_date_order', { order });
}
