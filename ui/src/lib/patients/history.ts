// History as it reads: versions newest first, each change as the field with its value before
// and after.
import type { PatientMergeView, PatientVersionView } from '../../generated/bindings';
import type { DateOrder } from '../api/frontDesk';
import { fieldLabel, fieldValueText } from './format';

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface VersionEntry {
  version: PatientVersionView;
  changes: FieldChange[];
}

/** Versions newest first, each with its changed fields' values before and after. */
export function historyEntries(versions: readonly PatientVersionView[], order: DateOrder): VersionEntry[] {
  const oldestFirst = [...versions].sort((a, b) => a.version - b.version);
  return oldestFirst
    .map((version, index) => {
      const earlier = index > 0 ? oldestFirst[index - 1] : null;
      const changes = version.changedFields.map((field) => ({
        field,
        label: fieldLabel(field),
        before: earlier === null ? '' : fieldValueText(earlier.form, field, order),
        after: fieldValueText(version.form, field, order),
      }));
      return { version, changes };
    })
    .reverse();
}

/** One merge in words, from this record's side, naming the other record. */
export function mergeText(merge: PatientMergeView, patientId: string): string {
  return merge.survivorId === patientId
    ? `${merge.mergedName} (MRN ${merge.mergedMrn}) was merged into this one by ${merge.mergedBy}`
    : `This record was merged into ${merge.survivorName} (MRN ${merge.survivorMrn}) by ${merge.mergedBy}`;
}
