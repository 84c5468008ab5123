// How entries read on screen: codes in words, times on the local clock, details as a list.
import type { Role } from '../../generated/bindings';
import { ROLES, roleLabel } from '../access/roles';

/** "audit_trail" as "Audit trail"; an empty or missing code as "". */
export function humaniseCode(code: string | null | undefined): string {
  const text = (code ?? '').replace(/_/g, ' ').trim();
  return text === '' ? '' : text.charAt(0).toUpperCase() + text.slice(1);
}

/** A stored instant on the local clock, with seconds: audit entries are read to the second. */
export function formatTime(instant: string, locale?: string): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return instant;
  }
  return at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * The same instant as its date and its time of day, for a narrow column that puts them on two
 * lines; an instant that does not read is all date.
 */
export function formatTimeParts(instant: string, locale?: string): { date: string; time: string } {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return { date: instant, time: '' };
  }
  return {
    date: at.toLocaleDateString(locale, { dateStyle: 'medium' }),
    time: at.toLocaleTimeString(locale, { timeStyle: 'medium' }),
  };
}

/** A time of day when `instant` is today, otherwise the date and time, on the local clock. */
export function formatWhen(instant: string, now: Date = new Date(), locale?: string): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return instant;
  }
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay
    ? at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "owner,front_desk" as "Owner, Front desk"; an unknown role stays as it was written. */
export function rolesText(roles: string): string {
  return roles
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '')
    .map((role) => (ROLES.includes(role as Role) ? roleLabel(role as Role) : humaniseCode(role)))
    .join(', ');
}

export interface DetailRow {
  key: string;
  value: string;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'boolean') {
    return value ? 'Yes' : 'No';
  }
  if (typeof value === 'number') {
    return new Intl.NumberFormat('en').format(value);
  }
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? 'none' : value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ');
  }
  return JSON.stringify(value);
}

/**
 * An entry's details (JSON of field names, counts, codes and identifiers) as a key/value list:
 * `{"filters":["user"],"matching":5}` becomes "Filters: user" and "Matching: 5". Anything that
 * is not a JSON object is shown as it is, so nothing of the entry is hidden.
 */
export function detailRows(details: string): DetailRow[] {
  if (details.trim() === '') {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return [{ key: 'Details', value: details }];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return [{ key: 'Details', value: valueText(parsed) }];
  }
  return Object.entries(parsed).map(([key, value]) => ({ key: humaniseCode(key), value: valueText(value) }));
}
