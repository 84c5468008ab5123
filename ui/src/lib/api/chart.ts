// The clinical chart's commands (commands/chart.rs): opening the chart, encounters and their
// notes (draft, autosave, sign, addenda), allergies, medications and problems with their History,
// amendments accepted on the chart, the printed summary and the FHIR export. Each resolves with
// the command's value or rejects with a CommandError (see invoke.ts).
import type {
  AmendmentRequestView,
  ChartItemVersionView,
  ChartItemView,
  EncounterView,
  EncounterKind,
  ItemFormView,
  OpenedChartView,
  SavedFile,
  SoapNoteView,
} from '../../generated/bindings';
import { call } from './invoke';

export type { EncounterKind };

/** Rejects with `forbidden` for users who may not read charts and hold no emergency access. */
export function openChart(patientId: string): Promise<OpenedChartView> {
  return call<OpenedChartView>('open_chart', { patientId });
}

/** A draft for the signed-in clinician; `occurredAt` (RFC 3339) empty means now. */
export function startEncounter(patientId: string, kind: EncounterKind, occurredAt: string): Promise<EncounterView> {
  return call<EncounterView>('start_encounter', { patientId, kind, occurredAt });
}

/** Saves the author's draft as it stands; a signed note is refused (`invalid_input`). */
export function saveDraftNote(encounterId: string, kind: EncounterKind, note: SoapNoteView): Promise<EncounterView> {
  return call<EncounterView>('save_draft_note', { encounterId, kind, note });
}

export function discardDraftNote(encounterId: string): Promise<void> {
  return call<void>('discard_draft_note', { encounterId });
}

export function signNote(encounterId: string): Promise<EncounterView> {
  return call<EncounterView>('sign_note', { encounterId });
}

export function addAddendum(encounterId: string, text: string): Promise<EncounterView> {
  return call<EncounterView>('add_addendum', { encounterId, text });
}

/** One encounter with its addenda, read in full (audited as a view). */
export function encounter(encounterId: string): Promise<EncounterView> {
  return call<EncounterView>('encounter', { encounterId });
}

export function recordChartItem(patientId: string, item: ItemFormView): Promise<ChartItemView> {
  return call<ChartItemView>('record_chart_item', { patientId, item });
}

/** `version` is the one edited; rejects with `stale_record` when someone saved since. */
export function updateChartItem(itemId: string, version: number, item: ItemFormView): Promise<ChartItemView> {
  return call<ChartItemView>('update_chart_item', { itemId, version, item });
}

export function markChartItemEnteredInError(itemId: string, version: number, reason: string): Promise<void> {
  return call<void>('mark_chart_item_entered_in_error', { itemId, version, reason });
}

export function chartItemHistory(itemId: string): Promise<ChartItemVersionView[]> {
  return call<ChartItemVersionView[]>('chart_item_history', { itemId });
}

/** Accepts an amendment request to an allergy, medication or problem with the corrected item. */
export function acceptAmendmentToItem(
  requestId: string,
  reason: string,
  itemId: string,
  version: number,
  item: ItemFormView,
): Promise<AmendmentRequestView> {
  return call<AmendmentRequestView>('accept_amendment_to_item', { requestId, reason, itemId, version, item });
}

/** Accepts an amendment request to a signed note with an addendum saying what is corrected. */
export function acceptAmendmentToNote(
  requestId: string,
  reason: string,
  encounterId: string,
  addendum: string,
): Promise<AmendmentRequestView> {
  return call<AmendmentRequestView>('accept_amendment_to_note', { requestId, reason, encounterId, addendum });
}

/**
 * The summary PDF with the last `encounters` signed encounters, where the person chooses in the
 * save dialog Rust opens; resolves with where and how many went in, or null when they closed it.
 */
export function printPatientSummary(
  patientId: string,
  encounters: number,
  offsetMinutes: number,
  suggestedName: string,
): Promise<SavedFile | null> {
  return call<SavedFile | null>('print_patient_summary', { patientId, encounters, offsetMinutes, suggestedName });
}

/** The record as a FHIR R4 Bundle (JSON), where the person chooses; null when they closed the dialog. */
export function exportPatientFhir(patientId: string, suggestedName: string): Promise<SavedFile | null> {
  return call<SavedFile | null>('export_patient_fhir', { patientId, suggestedName });
}
