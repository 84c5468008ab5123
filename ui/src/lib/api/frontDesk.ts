// The front desk's commands (commands/front_desk.rs): clinicians and each clinician's day,
// booking and the appointment's status, importing patients from a CSV file, disclosures,
// amendment requests, emergency access, and the practice's date order. Each resolves with the
// command's value or rejects with a CommandError (see invoke.ts).
import { listen } from '@tauri-apps/api/event';
import type {
  AmendmentRequestFormView,
  AmendmentRequestView,
  AppointmentStatus,
  AppointmentView,
  ImportFieldChoiceView,
  ClinicianDayView,
  DateOrder,
  DisclosureFormView,
  DisclosureView,
  EmergencyAccessView,
  ImportMappingView,
  ImportPreviewView,
  ImportProgressView,
  ImportReportView,
  ImportSummaryView,
  NewAppointmentView,
  StaffChoiceView,
} from '../../generated/bindings';
import { call } from './invoke';

/** How the practice writes dates, declared once in Rust (`patients::DateOrder`). */
export type { DateOrder };

export function clinicians(): Promise<StaffChoiceView[]> {
  return call<StaffChoiceView[]>('clinicians');
}

/** Each clinician's appointments from `from` (inclusive) to `to` (exclusive), RFC 3339. */
export function daySchedule(from: string, to: string): Promise<ClinicianDayView[]> {
  return call<ClinicianDayView[]>('day_schedule', { from, to });
}

/** Rejects with `needs_confirmation` on an overlap unless `acceptOverlap`. */
export function bookAppointment(appointment: NewAppointmentView, acceptOverlap: boolean): Promise<AppointmentView> {
  return call<AppointmentView>('book_appointment', { appointment, acceptOverlap });
}

/** An appointment from now, already checked in. */
export function registerWalkIn(
  patientId: string,
  clinicianId: string,
  minutes: number,
  reason: string,
): Promise<AppointmentView> {
  return call<AppointmentView>('register_walk_in', { patientId, clinicianId, minutes, reason });
}

/** Moves a booked appointment; rejects with `needs_confirmation` on an overlap unless accepted. */
export function rescheduleAppointment(
  appointmentId: string,
  startsAt: string,
  minutes: number,
  clinicianId: string,
  acceptOverlap: boolean,
): Promise<AppointmentView> {
  return call<AppointmentView>('reschedule_appointment', { appointmentId, startsAt, minutes, clinicianId, acceptOverlap });
}

/** `cancelReason` is needed only to cancel. */
export function setAppointmentStatus(
  appointmentId: string,
  status: AppointmentStatus,
  cancelReason: string | null,
): Promise<AppointmentView> {
  return call<AppointmentView>('set_appointment_status', { appointmentId, status, cancelReason });
}

export function patientAppointments(patientId: string): Promise<AppointmentView[]> {
  return call<AppointmentView[]>('patient_appointments', { patientId });
}

/** The fields a file's column can fill: code and words. */
export function importFields(): Promise<ImportFieldChoiceView[]> {
  return call<ImportFieldChoiceView[]>('import_fields');
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

export function recordDisclosure(patientId: string, disclosure: DisclosureFormView): Promise<DisclosureView> {
  return call<DisclosureView>('record_disclosure', { patientId, disclosure });
}

/** A new entry naming the one it corrects and why; the original stays as it was. */
export function correctDisclosure(
  disclosureId: string,
  disclosure: DisclosureFormView,
  reason: string,
): Promise<DisclosureView> {
  return call<DisclosureView>('correct_disclosure', { disclosureId, disclosure, reason });
}

export function patientDisclosures(patientId: string): Promise<DisclosureView[]> {
  return call<DisclosureView[]>('patient_disclosures', { patientId });
}

export function recordAmendmentRequest(
  patientId: string,
  request: AmendmentRequestFormView,
): Promise<AmendmentRequestView> {
  return call<AmendmentRequestView>('record_amendment_request', { patientId, request });
}

export function decideAmendmentRequest(requestId: string, accepted: boolean, reason: string): Promise<AmendmentRequestView> {
  return call<AmendmentRequestView>('decide_amendment_request', { requestId, accepted, reason });
}

export function patientAmendmentRequests(patientId: string): Promise<AmendmentRequestView[]> {
  return call<AmendmentRequestView[]>('patient_amendment_requests', { patientId });
}

/** Break-glass access to one patient's chart for a limited time, with the reason typed. */
export function requestEmergencyAccess(patientId: string, reason: string): Promise<EmergencyAccessView> {
  return call<EmergencyAccessView>('request_emergency_access', { patientId, reason });
}

export async function dateOrder(): Promise<DateOrder> {
  return (await call<DateOrder>('date_order')) === 'mdy' ? 'mdy' : 'dmy';
}

export function setDateOrder(order: DateOrder): Promise<void> {
  return call<void>('set_date_order', { order });
}
