// Dates as people type them into Chartkeep's forms, read by the same rules as Rust reads every
// typed date (crates/clinic/src/patients/dates.rs): ISO, the practice's order with slashes,
// and dots (always day first). Rust checks again; this only turns what was typed into ISO for
// the commands that take ISO, and words the practice's order for labels and messages.
import type { DateOrder } from '../api/frontDesk';

const pad = (value: number) => String(value).padStart(2, '0');

/** A real calendar day as ISO ("1984-03-07"), or null. */
function isoDay(year: number, month: number, day: number): string | null {
  const at = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && at.getUTCMonth() === month - 1 && at.getUTCDate() === day
    ? `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`
    : null;
}

/** Three numbers split by `separator`, the last a four-digit year: [a, b, year]. */
function threeNumbers(text: string, separator: string): [number, number, number] | null {
  const parts = text.split(separator);
  if (parts.length !== 3 || !parts.every((part) => /^\d+$/.test(part))) {
    return null;
  }
  const [a, b, year] = parts;
  return a.length <= 2 && b.length <= 2 && year.length === 4 ? [Number(a), Number(b), Number(year)] : null;
}

/**
 * A typed date as ISO, by the rules Rust reads every typed date with: ISO (2026-11-25), the
 * practice's order with slashes (25/11/2026 day first, 11/25/2026 month first), and dots
 * (25.11.2026, always day first). Null when it is none of these or not a real day.
 */
export function typedDay(text: string, order: DateOrder): string | null {
  const trimmed = text.trim();
  const dashed = trimmed.split('-');
  if (dashed.length === 3) {
    const numbers = threeNumbers(`${dashed[1]}-${dashed[2]}-${dashed[0]}`, '-');
    return numbers === null ? null : isoDay(numbers[2], numbers[0], numbers[1]);
  }
  const dotted = threeNumbers(trimmed, '.');
  if (dotted !== null) {
    return isoDay(dotted[2], dotted[1], dotted[0]);
  }
  const slashed = threeNumbers(trimmed, '/');
  if (slashed === null) {
    return null;
  }
  return order === 'mdy' ? isoDay(slashed[2], slashed[0], slashed[1]) : isoDay(slashed[2], slashed[1], slashed[0]);
}

/** The practice's order in words, for labels and messages: "day/month/year". */
export function dateOrderWords(order: DateOrder): string {
  return order === 'mdy' ? 'month/day/year' : 'day/month/year';
}
