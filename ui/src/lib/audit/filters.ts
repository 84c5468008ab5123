// The filter bar's form and the filter the Rust side receives. The form holds what the user
// chose (days, ids, codes, a patient's MRN); `filterOf` turns it into instants and nulls, with
// the patient's id once the MRN is resolved.
import type { AuditFilterView, AuditOutcome, StaffChoiceView } from '../../generated/bindings';
import { startOfDay, startOfNextDay } from './period';

export interface FilterForm {
  /** The first day of the period, "YYYY-MM-DD", or "" for no start. */
  fromDay: string;
  /** The last day of the period (included), or "" for no end. */
  toDay: string;
  userId: string;
  /** The patient's MRN as typed; the view resolves it to the patient's id. */
  patientMrn: string;
  /** An action code from the action choices, or "" for any. */
  action: string;
  outcome: AuditOutcome | '';
  emergencyOnly: boolean;
}

/** Errors by the form's own field names, and `filter` for the filter as a whole. */
export type FilterErrors = Partial<Record<keyof FilterForm | 'filter', string>>;

/** The input of each field of the filter bar, focused when Rust names the field. */
export const FILTER_IDS: Record<keyof FilterErrors, string> = {
  fromDay: 'audit-filter-from',
  toDay: 'audit-filter-to',
  userId: 'audit-filter-user',
  patientMrn: 'audit-filter-patient',
  action: 'audit-filter-action',
  outcome: 'audit-filter-outcome',
  emergencyOnly: 'audit-filter-emergency',
  filter: 'audit-filter-apply',
};

/** The other names the Rust side may give each field of the filter bar. */
export const FILTER_FIELDS = {
  fromDay: ['from'],
  toDay: ['to'],
  userId: ['user', 'user_id'],
  patientMrn: ['mrn', 'patient', 'patient_id'],
  action: [],
  outcome: [],
  emergencyOnly: ['emergency_only'],
  filter: [],
} as const satisfies Record<keyof FilterErrors, readonly string[]>;

export function emptyFilterForm(): FilterForm {
  return { fromDay: '', toDay: '', userId: '', patientMrn: '', action: '', outcome: '', emergencyOnly: false };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/**
 * The filter for the Rust side: "to" is the start of the day after the last day chosen;
 * `patientId` is the patient the form's MRN was resolved to (null for any patient).
 */
export function filterOf(form: FilterForm, patientId: string | null = null): AuditFilterView {
  return {
    from: startOfDay(form.fromDay),
    to: startOfNextDay(form.toDay),
    userId: orNull(form.userId),
    patientId: orNull(patientId ?? ''),
    action: orNull(form.action),
    outcome: form.outcome === '' ? null : form.outcome,
    emergencyOnly: form.emergencyOnly,
  };
}

/** Whether any filter is set, so the bar can offer to clear them. */
export function isFiltered(form: FilterForm): boolean {
  const empty = emptyFilterForm();
  return (Object.keys(empty) as (keyof FilterForm)[]).some((key) => form[key] !== empty[key]);
}

export const OUTCOME_CHOICES: readonly { code: AuditOutcome | ''; label: string }[] = [
  { code: '', label: 'Any outcome' },
  { code: 'success', label: 'Success' },
  { code: 'denied', label: 'Denied' },
  { code: 'failed', label: 'Failed' },
];

/** A member of staff in the user list: "Dee Desk (desk)", marked when no longer active. */
export function staffLabel(choice: StaffChoiceView): string {
  const name = `${choice.fullName} (${choice.username})`;
  return choice.active ? name : `${name}, inactive`;
}

/** A patient the filter's MRN was resolved to. */
export interface ResolvedPatient {
  mrn: string;
  id: string;
  /** "Family, Given (MRN 1000009)". */
  label: string;
}

/**
 * The patient the typed MRN stands for when it was resolved already (same digits, spaces
 * aside), so it is not looked up again; null when it must be looked up or none is typed.
 */
export function resolvedFor(typed: string, resolved: ResolvedPatient | null): ResolvedPatient | null {
  return resolved !== null && typed.trim() !== '' && typed.trim() === resolved.mrn ? resolved : null;
}

/** How an entry names its patient: the label when the patient has a record, else the id. */
export function patientText(row: { patientId: string | null; patientLabel: string | null }): string {
  return row.patientLabel ?? row.patientId ?? '';
}

/**
 * A patient label cut into the name and the MRN, so a narrow column can shorten the name and
 * still show the MRN: "Ortega, José (MRN 1000009)" gives "Ortega, José" and "1000009". A label
 * of another shape is all name.
 */
export function splitPatientLabel(label: string): { name: string; mrn: string | null } {
  const match = /^(.*?)\s*\(MRN ([^)]+)\)\s*$/.exec(label);
  return match === null ? { name: label, mrn: null } : { name: match[1], mrn: match[2] };
}
