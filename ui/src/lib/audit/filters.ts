// The filter bar's form and the filter the Rust side receives. The form holds what the user
// chose (days, ids, codes); `filterOf` turns it into instants and nulls.
import type { AuditFilterView, AuditOutcome, StaffChoiceView } from '../../generated/bindings';
import { startOfDay, startOfNextDay } from './period';

export interface FilterForm {
  /** The first day of the period, "YYYY-MM-DD", or "" for no start. */
  fromDay: string;
  /** The last day of the period (included), or "" for no end. */
  toDay: string;
  userId: string;
  patientId: string;
  /** An action code from the action choices, or "" for any. */
  action: string;
  outcome: AuditOutcome | '';
  emergencyOnly: boolean;
}

/** Errors by the form's own field names, and `filter` for the filter as a whole. */
export type FilterErrors = Partial<Record<keyof FilterForm | 'filter', string>>;

/** The names the Rust side may give each field of the form, for `fieldOfError`. */
export const FILTER_FIELDS = {
  fromDay: ['from'],
  toDay: ['to'],
  userId: ['user', 'user_id'],
  patientId: ['patient', 'patient_id'],
  action: [],
  outcome: [],
  emergencyOnly: ['emergency_only'],
  filter: [],
} as const satisfies Record<keyof FilterErrors, readonly string[]>;

export function emptyFilterForm(): FilterForm {
  return { fromDay: '', toDay: '', userId: '', patientId: '', action: '', outcome: '', emergencyOnly: false };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** The filter for the Rust side: "to" is the start of the day after the last day chosen. */
export function filterOf(form: FilterForm): AuditFilterView {
  return {
    from: startOfDay(form.fromDay),
    to: startOfNextDay(form.toDay),
    userId: orNull(form.userId),
    patientId: orNull(form.patientId),
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
