// The merge screens as plain functions: two records side by side, which one survives, and the
// merges a record took part in, in words.
import type { PatientMergeView, PatientRecordView, PatientSummaryView } from '../../generated/bindings';
import { displayName, formatDay, formRows } from '../review/recordFields';

export interface ComparisonRow {
  key: string;
  label: string;
  left: string;
  right: string;
  differs: boolean;
}

/** A stored instant as its local day, "7 Mar 2026"; text that is no instant as it is. */
export function localDay(instant: string | null, locale?: string): string {
  if (instant === null || instant.trim() === '') {
    return '';
  }
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return formatDay(instant);
  }
  return at.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

function factsOf(record: PatientRecordView): { key: string; label: string; value: string }[] {
  return [
    { key: 'mrn', label: 'MRN', value: record.mrn },
    { key: 'registered_at', label: 'Registered', value: localDay(record.registeredAt) },
    { key: 'last_visit', label: 'Last visit', value: record.lastVisit === null ? 'None yet' : formatDay(record.lastVisit) },
    { key: 'merged_mrns', label: 'Records merged into it', value: record.mergedMrns.join(', ') },
    { key: 'needs_duplicate_review', label: 'Flagged by an import', value: record.needsDuplicateReview ? 'Yes' : 'No' },
  ];
}

/** Every field of both records, row by row, marking those that differ (MRNs always do). */
export function comparisonRows(left: PatientRecordView, right: PatientRecordView): ComparisonRow[] {
  const leftRows = [...factsOf(left), ...formRows(left.form)];
  const rightRows = [...factsOf(right), ...formRows(right.form)];
  return leftRows.map((row, index) => {
    const other = rightRows[index];
    return { key: row.key, label: row.label, left: row.value, right: other.value, differs: row.value !== other.value };
  });
}

/** "Ortega, José (MRN 1000009)". */
export function recordLabel(record: PatientRecordView): string {
  return namedRecord(displayName(record.form), record.mrn);
}

/**
 * The default survivor: the record not flagged by an import when only one is, else the one
 * registered first (the practice has known it longer).
 */
export function defaultSurvivor(a: PatientRecordView, b: PatientRecordView): string {
  if (a.needsDuplicateReview !== b.needsDuplicateReview) {
    return a.needsDuplicateReview ? b.id : a.id;
  }
  return a.registeredAt <= b.registeredAt ? a.id : b.id;
}

/** Whether a merge still stands (it was not undone). */
export function isActive(merge: PatientMergeView): boolean {
  return merge.unmergedAt === null;
}

/** "Ortega, José (MRN 1000009)" from a name as Rust writes it ("Family, Given") and an MRN. */
export function namedRecord(name: string, mrn: string): string {
  const trimmed = name.trim().replace(/,$/, '').trim();
  return mrn.trim() === '' ? trimmed : `${trimmed} (MRN ${mrn.trim()})`;
}

/** "Ortega, José (MRN 1000009)" for a patient in a list. */
export function summaryLabel(patient: PatientSummaryView): string {
  return namedRecord(displayName(patient), patient.mrn);
}

/** The record that survived the merge, named. */
export function survivorLabel(merge: PatientMergeView): string {
  return namedRecord(merge.survivorName, merge.survivorMrn);
}

/** The record merged into the survivor (its alias while the merge stands), named. */
export function mergedLabel(merge: PatientMergeView): string {
  return namedRecord(merge.mergedName, merge.mergedMrn);
}

/**
 * One merge in words, both records named: "Smyth, Jon (MRN 1000017) merged into Smith, John
 * (MRN 1000009) by Dana Demo (dana) on 7 Mar 2026." and, once undone, "Undone by … on …".
 */
export function mergeSentence(merge: PatientMergeView): string {
  const merged = `${mergedLabel(merge)} merged into ${survivorLabel(merge)} by ${merge.mergedBy} on ${localDay(merge.mergedAt)}.`;
  if (merge.unmergedAt === null) {
    return merged;
  }
  const by = merge.unmergedBy === null ? '' : ` by ${merge.unmergedBy}`;
  return `${merged} Undone${by} on ${localDay(merge.unmergedAt)}.`;
}
