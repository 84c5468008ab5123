// Allergies, medications and problems as the chart shows and edits them: the form of each kind,
// the words for its choices, one line to read an item by, where Rust's field errors go, and
// History's versions with what changed. Rust checks every value; these only present them.
import type {
  AllergySeverity,
  ChartItemVersionView,
  ChartItemView,
  ItemChange,
  ItemFormView,
  ItemStatus,
} from '../../generated/bindings';
import type { DateOrder } from '../api/frontDesk';
import { formatDate, formatInstant } from '../patients/format';

/** The three lists of the chart. "No known allergies" is an allergy item of its own kind. */
export type ListKind = 'allergy' | 'medication' | 'problem';

export interface Choice<T extends string | null = string> {
  value: T;
  label: string;
}

export const SEVERITY_CHOICES: readonly Choice<AllergySeverity | null>[] = [
  { value: null, label: 'Not recorded' },
  { value: 'mild', label: 'Mild' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
];

export const CONDITION_STATUS_CHOICES: readonly Choice<ItemStatus>[] = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'resolved', label: 'Resolved' },
];

export const MEDICATION_STATUS_CHOICES: readonly Choice<ItemStatus>[] = [
  { value: 'active', label: 'Active' },
  { value: 'on_hold', label: 'On hold' },
  { value: 'stopped', label: 'Stopped' },
  { value: 'completed', label: 'Completed' },
];

/** The fields typed as text; the kind, severity and status are choices. */
export type TextFieldName = Exclude<keyof ItemFormView, 'kind' | 'severity' | 'status'>;

interface TextFieldSpec {
  name: TextFieldName;
  label: string;
  input: 'text' | 'multiline' | 'date';
  required?: boolean;
  placeholder?: string;
  hint?: string;
  width?: 'short' | 'medium' | 'full';
}

/** A field of an item's form: text, or one of the severity and status choices. */
export type FieldSpec =
  | TextFieldSpec
  | { name: 'severity'; label: string; input: 'select'; options: readonly Choice<AllergySeverity | null>[] }
  | { name: 'status'; label: string; input: 'select'; options: readonly Choice<ItemStatus>[] };

/** The fields of each kind's form, in the order they are shown. */
export function fieldsOf(kind: ListKind): readonly FieldSpec[] {
  switch (kind) {
    case 'allergy':
      return [
        { name: 'substance', label: 'Substance', input: 'text', required: true, placeholder: 'e.g. Penicillin' },
        { name: 'reaction', label: 'Reaction', input: 'multiline', placeholder: 'e.g. Hives, swelling of the lips' },
        { name: 'severity', label: 'Severity', input: 'select', options: SEVERITY_CHOICES },
        { name: 'status', label: 'Status', input: 'select', options: CONDITION_STATUS_CHOICES },
      ];
    case 'medication':
      return [
        { name: 'name', label: 'Medication', input: 'text', required: true, placeholder: 'e.g. Amoxicillin' },
        { name: 'dose', label: 'Dose', input: 'text', placeholder: 'e.g. 500 mg', width: 'medium' },
        { name: 'route', label: 'Route', input: 'text', placeholder: 'e.g. oral', width: 'medium' },
        { name: 'frequency', label: 'Frequency', input: 'text', placeholder: 'e.g. three times a day', width: 'medium' },
        { name: 'start', label: 'Start', input: 'date', width: 'short' },
        { name: 'stop', label: 'Stop', input: 'date', width: 'short' },
        { name: 'status', label: 'Status', input: 'select', options: MEDICATION_STATUS_CHOICES },
      ];
    case 'problem':
      return [
        { name: 'description', label: 'Problem', input: 'text', required: true, placeholder: 'e.g. Asthma' },
        { name: 'icd10', label: 'ICD-10 code', input: 'text', placeholder: 'e.g. J45.909', hint: 'Optional.', width: 'short' },
        { name: 'onset', label: 'Onset', input: 'date', width: 'short' },
        { name: 'status', label: 'Status', input: 'select', options: CONDITION_STATUS_CHOICES },
      ];
  }
}

export function emptyForm(kind: ItemFormView['kind']): ItemFormView {
  return {
    kind,
    substance: '',
    reaction: '',
    severity: null,
    status: 'active',
    name: '',
    dose: '',
    route: '',
    frequency: '',
    start: '',
    stop: '',
    description: '',
    icd10: '',
    onset: '',
  };
}

type DateField = 'start' | 'stop' | 'onset';
const DATE_FIELDS: readonly DateField[] = ['start', 'stop', 'onset'];

function isDateField(field: keyof ItemFormView): field is DateField {
  return (DATE_FIELDS as readonly string[]).includes(field);
}

/** An item's form for editing, its dates written the way the practice types them. */
export function formOf(item: ChartItemView, order: DateOrder): ItemFormView {
  const form = { ...emptyForm(item.form.kind), ...item.form };
  for (const field of DATE_FIELDS) {
    form[field] = formatDate(form[field], order);
  }
  return form;
}

function labelOf<T extends string | null>(choices: readonly Choice<T>[], value: T): string {
  return choices.find((choice) => choice.value === value)?.label ?? '';
}

export function severityLabel(severity: AllergySeverity | null): string {
  return severity === null ? '' : labelOf(SEVERITY_CHOICES, severity);
}

export function statusLabel(form: Pick<ItemFormView, 'kind' | 'status'>): string {
  return labelOf(form.kind === 'medication' ? MEDICATION_STATUS_CHOICES : CONDITION_STATUS_CHOICES, form.status);
}

/** Whether an item belongs in the current list (the rest go under "inactive"), as Rust counts it. */
export function isCurrent(form: Pick<ItemFormView, 'status'>): boolean {
  return form.status === 'active' || form.status === 'on_hold';
}

/** What an item is called in one line: the substance, medication or problem. */
export function itemTitle(form: ItemFormView): string {
  switch (form.kind) {
    case 'no_known_allergies':
      return 'No known allergies';
    case 'medication':
      return form.name;
    case 'problem':
      return form.description;
    default:
      return form.substance;
  }
}

/** The rest of an item in short parts: "500 mg · oral · three times a day · since 01/03/2026". */
export function itemDetails(form: ItemFormView, order: DateOrder): string[] {
  switch (form.kind) {
    case 'no_known_allergies':
      return [];
    case 'medication': {
      const period =
        form.start && form.stop
          ? `${formatDate(form.start, order)} to ${formatDate(form.stop, order)}`
          : form.start
            ? `since ${formatDate(form.start, order)}`
            : form.stop
              ? `until ${formatDate(form.stop, order)}`
              : '';
      return [form.dose, form.route, form.frequency, period].filter((part) => part.trim() !== '');
    }
    case 'problem':
      return [form.icd10, form.onset ? `since ${formatDate(form.onset, order)}` : ''].filter((part) => part !== '');
    default:
      return [form.reaction].filter((part) => part.trim() !== '');
  }
}

/** The words for one kind, for headings, buttons and dialog titles. */
export const KIND_WORDS: Record<ListKind, { plural: string; one: string; add: string; none: string }> = {
  allergy: { plural: 'Allergies', one: 'allergy', add: 'Add an allergy', none: 'No allergies recorded.' },
  medication: { plural: 'Medications', one: 'medication', add: 'Add a medication', none: 'No medications recorded.' },
  problem: { plural: 'Problems', one: 'problem', add: 'Add a problem', none: 'No problems recorded.' },
};

const CHANGE_LABELS: Record<ItemChange, string> = {
  recorded: 'Recorded',
  updated: 'Changed',
  entered_in_error: 'Entered in error',
  amended: "Amended at the patient's request",
  superseded: 'Ended when an allergy was recorded',
};

export function changeLabel(change: ItemChange): string {
  return CHANGE_LABELS[change];
}

const FIELD_LABELS: Partial<Record<keyof ItemFormView, string>> = {
  substance: 'Substance',
  reaction: 'Reaction',
  severity: 'Severity',
  status: 'Status',
  name: 'Medication',
  dose: 'Dose',
  route: 'Route',
  frequency: 'Frequency',
  start: 'Start',
  stop: 'Stop',
  description: 'Problem',
  icd10: 'ICD-10 code',
  onset: 'Onset',
};

/** A field's value as read: dates in the practice's order, choices in words. */
function shownValue(form: ItemFormView, field: keyof ItemFormView, order: DateOrder): string {
  if (field === 'severity') {
    return severityLabel(form.severity);
  }
  if (field === 'status') {
    return statusLabel(form);
  }
  return isDateField(field) ? formatDate(form[field], order) : form[field];
}

export interface HistoryChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface HistoryEntry {
  version: number;
  what: string;
  who: string;
  when: string;
  reason: string | null;
  /** The patient's amendment request the version was made for (an accepted amendment). */
  amendmentRequestId: string | null;
  /** For the first version, every value given; later, each field that changed. */
  changes: HistoryChange[];
  first: boolean;
}

/** Every version of an item, newest first, with what changed from the version before. */
export function historyEntries(versions: readonly ChartItemVersionView[], order: DateOrder): HistoryEntry[] {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const entries = sorted.map((version, index): HistoryEntry => {
    const previous = index > 0 ? sorted[index - 1] : null;
    const fields = Object.keys(FIELD_LABELS) as (keyof ItemFormView)[];
    const changes =
      previous === null
        ? fields
            .filter((field) => version.form[field] !== '')
            .map((field) => ({
              field,
              label: FIELD_LABELS[field] ?? field,
              before: '',
              after: shownValue(version.form, field, order),
            }))
        : fields
            .filter((field) => version.changedFields.includes(field) || previous.form[field] !== version.form[field])
            .map((field) => ({
              field,
              label: FIELD_LABELS[field] ?? field,
              before: shownValue(previous.form, field, order),
              after: shownValue(version.form, field, order),
            }));
    return {
      version: version.version,
      what: changeLabel(version.change),
      who: version.changedBy,
      when: formatInstant(version.changedAt, order),
      reason: version.reason,
      amendmentRequestId: version.amendmentRequestId,
      changes,
      first: previous === null,
    };
  });
  return entries.reverse();
}
