// The check's report, the progress of a check or import, and the summary afterwards, in words.
import type {
  ImportDuplicateView,
  ImportProblemView,
  ImportProgressView,
  ImportReportView,
  ImportSummaryView,
  ImportedPatientView,
} from '../../generated/bindings';
import { fieldLabel, formRows } from '../review/recordFields';

const NUMBER = new Intl.NumberFormat('en');

/** 1234 as "1,234". */
export function formatCount(count: number): string {
  return NUMBER.format(count);
}

/** "1 row", "1,234 rows". */
export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

// --- Progress ---

/** How far a check or import is, 0 to 100 in whole percent (never 100 before it is done). */
export function progressPercent(progress: ImportProgressView | null): number {
  if (progress === null || progress.total <= 0) {
    return 0;
  }
  const done = Math.min(Math.max(progress.done, 0), progress.total);
  return done === progress.total ? 100 : Math.min(99, Math.floor((done / progress.total) * 100));
}

/** "Reading the file…", then "3,500 of 10,000 rows checked (35%)". */
export function progressText(progress: ImportProgressView | null, verb: 'checked' | 'read'): string {
  if (progress === null || progress.total <= 0) {
    return 'Reading the file…';
  }
  const done = Math.min(Math.max(progress.done, 0), progress.total);
  return `${formatCount(done)} of ${plural(progress.total, 'row', 'rows')} ${verb} (${progressPercent(progress)}%)`;
}

// --- The check's report ---

export interface ProblemRow {
  line: number;
  reasons: { field: string; label: string; message: string }[];
}

/** The invalid rows, one per line in the order of the file, each with all its reasons. */
export function groupProblems(problems: readonly ImportProblemView[]): ProblemRow[] {
  const byLine = new Map<number, ProblemRow>();
  for (const problem of problems) {
    let row = byLine.get(problem.line);
    if (row === undefined) {
      row = { line: problem.line, reasons: [] };
      byLine.set(problem.line, row);
    }
    row.reasons.push({ field: problem.field, label: fieldLabel(problem.field), message: problem.message });
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

/** How many rows cannot be imported (a row with several problems counts once). */
export function invalidRowCount(problems: readonly ImportProblemView[]): number {
  return new Set(problems.map((problem) => problem.line)).size;
}

const SIGNS: Record<string, string> = {
  same_date_of_birth_similar_name: 'same date of birth and a similar name',
  names_transposed: 'family and given names swapped',
  day_and_month_swapped: 'day and month of birth swapped',
  same_phone: 'same phone number',
};

/** A duplicate sign in words; an unknown code as it is, with spaces. */
export function signText(sign: string): string {
  return SIGNS[sign] ?? sign.replace(/_/g, ' ');
}

/** "same phone number", or "same date of birth and a similar name; same phone number". */
export function signsText(signs: readonly string[]): string {
  return signs.map(signText).join('; ');
}

/** What a row looks like a duplicate of: "MRN 1000009" or "line 12 of this file". */
export function duplicateOf(duplicate: ImportDuplicateView): string {
  if (duplicate.existingMrn !== null) {
    return `the patient with MRN ${duplicate.existingMrn}`;
  }
  if (duplicate.otherLine !== null) {
    return `line ${duplicate.otherLine} of this file`;
  }
  return 'another patient';
}

/** The duplicates in the order of the file. */
export function sortedDuplicates(duplicates: readonly ImportDuplicateView[]): ImportDuplicateView[] {
  return [...duplicates].sort((a, b) => a.line - b.line);
}

/** The report's first sentence. */
export function reportHeadline(report: ImportReportView): string {
  const invalid = invalidRowCount(report.problems);
  if (report.rows === 0) {
    return 'The file has no rows to import.';
  }
  if (invalid === 0) {
    return report.rows === 1 ? 'The row can be imported.' : `All ${formatCount(report.rows)} rows can be imported.`;
  }
  if (report.valid === 0) {
    return invalid === 1 ? 'The row cannot be imported.' : `None of the ${formatCount(report.rows)} rows can be imported.`;
  }
  return `${formatCount(report.valid)} of ${plural(report.rows, 'row', 'rows')} can be imported; ${plural(invalid, 'row cannot', 'rows cannot')}.`;
}

/** The summary after an import, one sentence a line. */
export function summaryLines(summary: ImportSummaryView): string[] {
  const lines = [
    summary.imported === 1 ? '1 patient was imported.' : `${formatCount(summary.imported)} patients were imported.`,
  ];
  if (summary.flaggedForReview > 0) {
    lines.push(
      summary.flaggedForReview === 1
        ? '1 of them looks like a patient already registered or another row of the file: it is flagged for review under Records › Duplicates.'
        : `${formatCount(summary.flaggedForReview)} of them look like patients already registered or other rows of the file: they are flagged for review under Records › Duplicates.`,
    );
  }
  if (summary.skippedInvalid > 0) {
    lines.push(
      summary.skippedInvalid === 1
        ? '1 invalid row was left out.'
        : `${formatCount(summary.skippedInvalid)} invalid rows were left out.`,
    );
  }
  return lines;
}

// --- The preview ---

export interface PreviewTable {
  headings: string[];
  rows: string[][];
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The mapped sample rows as they will land, with only the fields some row fills. A date the
 * mapping could not read is shown as written, marked, since the check will refuse it.
 */
export function previewTable(rows: readonly ImportedPatientView[]): PreviewTable {
  if (rows.length === 0) {
    return { headings: [], rows: [] };
  }
  const cells = rows.map(({ form, sexAsWritten }) =>
    formRows(form).map((row) => {
      if (row.key === 'sex' && sexAsWritten !== null) {
        return { key: row.key, label: row.label, value: `${sexAsWritten} (not read as a sex)` };
      }
      const raw = row.key === 'date_of_birth' ? form.dateOfBirth.trim() : row.key === 'deceased_on' ? form.deceasedOn.trim() : null;
      const unread = raw !== null && raw !== '' && !ISO_DAY.test(raw);
      return { key: row.key, label: row.label, value: unread ? `${raw} (not read as a date)` : row.value };
    }),
  );
  // Sex and status always have words ("Unknown", "Active"); they show when some row differs.
  const defaults: Record<string, string> = { sex: 'Unknown', status: 'Active' };
  const keep = cells[0].map((_, column) =>
    cells.some((row) => row[column].value !== '' && row[column].value !== defaults[row[column].key]),
  );
  return {
    headings: cells[0].filter((_, column) => keep[column]).map((cell) => cell.label),
    rows: cells.map((row) => row.filter((_, column) => keep[column]).map((cell) => cell.value)),
  };
}
