// The audit view's commands (commands/audit.rs): pages of the trail, the choices for its
// filters, the integrity status and verification, alerts, and exports to files. Each resolves
// with the command's value or rejects with a CommandError (see invoke.ts).
import type {
  AuditFilterView,
  AuditPageView,
  AuditSortView,
  ChoiceView,
  IntegrityStatusView,
  SavedFile,
  StaffChoiceView,
  VerificationView,
} from '../../generated/bindings';
import { call } from './invoke';

/** One page of the trail: `limit` is 1 to 500. Reading offset 0 is itself audited. */
export function auditEntries(
  filter: AuditFilterView,
  sort: AuditSortView,
  offset: number,
  limit: number,
): Promise<AuditPageView> {
  return call<AuditPageView>('audit_entries', { filter, sort, offset, limit });
}

export function auditActionChoices(): Promise<ChoiceView[]> {
  return call<ChoiceView[]>('audit_action_choices');
}

/**
 * The patient with this MRN, for the patient filter and the access report: `code` is the
 * patient's id, `label` reads "Family, Given (MRN 1000009)". Rejects with invalid_input (field
 * "mrn") for digits that are no MRN, and not_found when no patient has it.
 */
export function auditPatientByMrn(mrn: string): Promise<ChoiceView> {
  return call<ChoiceView>('audit_patient_by_mrn', { mrn });
}

export function auditStaffChoices(): Promise<StaffChoiceView[]> {
  return call<StaffChoiceView[]>('audit_staff_choices');
}

export function auditIntegrityStatus(): Promise<IntegrityStatusView> {
  return call<IntegrityStatusView>('audit_integrity_status');
}

/** How many integrity alerts to show this user now; 0 for roles without the audit view. */
export function integrityAlertsToShow(): Promise<number> {
  return call<number>('integrity_alerts_to_show');
}

/** Verifies the whole chain; on a large trail this takes a while. */
export function verifyAuditChain(): Promise<VerificationView> {
  return call<VerificationView>('verify_audit_chain');
}

export function acknowledgeIntegrityAlert(alertId: string, comment: string): Promise<void> {
  return call<void>('acknowledge_integrity_alert', { alertId, comment });
}

/**
 * Writes the filtered view as CSV where the person chooses in the save dialog, which Rust opens
 * (the page only suggests a file name); null when they closed it.
 */
export function exportAuditCsv(
  filter: AuditFilterView,
  sort: AuditSortView,
  suggestedName: string,
): Promise<SavedFile | null> {
  return call<SavedFile | null>('export_audit_csv', { filter, sort, suggestedName });
}

/** The filtered view as PDF, in local times (at most 5,000 entries), where the person chooses. */
export function exportAuditPdf(
  filter: AuditFilterView,
  sort: AuditSortView,
  offsetMinutes: number,
  suggestedName: string,
): Promise<SavedFile | null> {
  return call<SavedFile | null>('export_audit_pdf', { filter, sort, offsetMinutes, suggestedName });
}

/** "Who accessed this record" for one patient over [from, to), as a PDF where the person chooses. */
export function patientAccessReport(
  patientId: string,
  from: string,
  to: string,
  offsetMinutes: number,
  suggestedName: string,
): Promise<SavedFile | null> {
  return call<SavedFile | null>('patient_access_report', { patientId, from, to, offsetMinutes, suggestedName });
}
