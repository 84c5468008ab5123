// The results table's sort order and paging, as plain functions.
import type { AuditSortColumnView, AuditSortView } from '../../generated/bindings';

/** How many entries one page shows. */
export const PAGE_SIZE = 100;

/** The table's columns, in order, with their headings. */
export const COLUMNS: readonly { column: AuditSortColumnView; heading: string }[] = [
  { column: 'entry', heading: 'Entry' },
  { column: 'time', heading: 'Time' },
  { column: 'user', heading: 'User' },
  { column: 'action', heading: 'Action' },
  { column: 'patient', heading: 'Patient' },
  { column: 'category', heading: 'Category' },
  { column: 'outcome', heading: 'Outcome' },
  { column: 'emergency', heading: 'Emergency' },
];

/** Newest first, as the trail is usually read. */
export const DEFAULT_SORT: AuditSortView = { column: 'entry', descending: true };

/**
 * The order after a click on a column's heading: the same column turns around; another column
 * starts newest first for entry and time (and emergency accesses first), A to Z for the rest.
 */
export function toggleSort(current: AuditSortView, column: AuditSortColumnView): AuditSortView {
  if (current.column === column) {
    return { column, descending: !current.descending };
  }
  return { column, descending: column === 'entry' || column === 'time' || column === 'emergency' };
}

/** The value of a heading's aria-sort. */
export function ariaSort(current: AuditSortView, column: AuditSortColumnView): 'ascending' | 'descending' | 'none' {
  if (current.column !== column) {
    return 'none';
  }
  return current.descending ? 'descending' : 'ascending';
}

const NUMBER = new Intl.NumberFormat('en');

/** 1234 as "1,234". */
export function formatCount(count: number): string {
  return NUMBER.format(count);
}

/** "Entries 1–100 of 1,234", "Entries 101–200 of more than 100,000", or "No entries match". */
export function pageLabel(offset: number, shown: number, total: number, totalIsCapped: boolean): string {
  if (shown === 0) {
    return offset === 0 ? 'No entries match these filters.' : 'No more entries.';
  }
  const of = totalIsCapped ? `more than ${formatCount(total)}` : formatCount(total);
  if (shown === 1 && total === 1 && !totalIsCapped) {
    return 'Entry 1 of 1';
  }
  return `Entries ${formatCount(offset + 1)}–${formatCount(offset + shown)} of ${of}`;
}

/** Whether a page follows: when capped, as long as pages come back full. */
export function hasNextPage(offset: number, shown: number, total: number, totalIsCapped: boolean): boolean {
  if (totalIsCapped) {
    return shown === PAGE_SIZE;
  }
  return offset + shown < total;
}

/** The offset of the previous page (never below 0). */
export function previousOffset(offset: number): number {
  return Math.max(0, offset - PAGE_SIZE);
}
