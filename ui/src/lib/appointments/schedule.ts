// The day view's plain parts: local days and their bounds, times of day, each status in words
// and what may be done next, and the starting time a booking offers.
import type { AppointmentStatus } from '../../generated/bindings';
import { localDay, parseDay, startOfDay, startOfNextDay } from '../audit/period';
import { clockTime } from '../patients/format';

export { localDay };

/** The instants a local day starts and the next one starts (23 or 25 hours later across DST). */
export function dayBounds(day: string): { from: string; to: string } | null {
  const from = startOfDay(day);
  const to = startOfNextDay(day);
  return from === null || to === null ? null : { from, to };
}

/** The local day `days` after `day` (before, when negative). */
export function shiftDay(day: string, days: number): string {
  const parts = parseDay(day);
  if (parts === null) {
    return day;
  }
  return localDay(new Date(parts.year, parts.month - 1, parts.day + days));
}

/** "Wednesday, 25 November 2026" in the reader's language. */
export function dayHeading(day: string, locale?: string): string {
  const parts = parseDay(day);
  if (parts === null) {
    return day;
  }
  return new Date(parts.year, parts.month - 1, parts.day).toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** The instant a local day and time of day ("2026-11-25", "09:30") stand for, as RFC 3339. */
export function startsAtOf(day: string, time: string): string | null {
  const parts = parseDay(day);
  const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (parts === null || match === null) {
    return null;
  }
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours > 23 || minutes > 59) {
    return null;
  }
  return new Date(parts.year, parts.month - 1, parts.day, hours, minutes).toISOString();
}

/** The time of day a stored instant is on this PC's clock, as a time input holds it. */
export function timeOfDay(instant: string): string {
  return clockTime(instant);
}

/** "09:00–09:15". */
export function timeRange(startsAt: string, minutes: number): string {
  const start = new Date(startsAt);
  if (Number.isNaN(start.getTime())) {
    return startsAt;
  }
  const end = new Date(start.getTime() + minutes * 60_000);
  return `${clockTime(startsAt)}–${clockTime(end.toISOString())}`;
}

/** What a new booking offers: the next quarter hour, but never past the end of the day. */
export function nextQuarterHour(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const minutes = now.getHours() * 60 + now.getMinutes();
  const next = Math.min(Math.ceil((minutes + 1) / 15) * 15, 23 * 60 + 45);
  return `${pad(Math.floor(next / 60))}:${pad(next % 60)}`;
}

export const LENGTHS = [5, 10, 15, 20, 30, 45, 60, 90] as const;

const STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  in_progress: 'In progress',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
};

export function appointmentStatusLabel(status: AppointmentStatus): string {
  return STATUS_LABELS[status];
}

export type AppointmentAction =
  | { kind: 'status'; label: string; next: AppointmentStatus; primary: boolean; short?: string }
  | { kind: 'cancel'; label: string }
  | { kind: 'reschedule'; label: string };

/**
 * What may be done with an appointment in each status, the usual next step first: booked →
 * checked in, no-show, cancelled (or moved); checked in → in progress, completed, cancelled, or
 * back to booked; in progress → completed; a no-show back to booked.
 */
export function actionsFor(status: AppointmentStatus): AppointmentAction[] {
  switch (status) {
    case 'booked':
      return [
        { kind: 'status', label: 'Check in', next: 'checked_in', primary: true },
        { kind: 'reschedule', label: 'Reschedule' },
        { kind: 'status', label: 'No-show', next: 'no_show', primary: false },
        { kind: 'cancel', label: 'Cancel' },
      ];
    case 'checked_in':
      return [
        { kind: 'status', label: 'Start', next: 'in_progress', primary: true },
        { kind: 'status', label: 'Complete', next: 'completed', primary: false },
        { kind: 'status', label: 'Undo check-in', next: 'booked', primary: false, short: 'Undo' },
        { kind: 'cancel', label: 'Cancel' },
      ];
    case 'in_progress':
      return [{ kind: 'status', label: 'Complete', next: 'completed', primary: true }];
    case 'no_show':
      return [{ kind: 'status', label: 'Undo no-show', next: 'booked', primary: false, short: 'Undo' }];
    case 'completed':
    case 'cancelled':
      return [];
  }
}

/** The button's text: short where the card says the rest ("Undo" on a checked-in card). */
export function actionText(action: AppointmentAction): string {
  const text = action.kind === 'status' ? (action.short ?? action.label) : action.label;
  return action.kind === 'status' ? text : `${text}…`;
}

/** A stable id part for an action, e.g. "check-in", "undo-no-show". */
export function actionSlug(action: AppointmentAction): string {
  return action.label.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');
}
