// Days chosen in date inputs become instants for the Rust side. A day is a wall-clock day here:
// it starts at local midnight, and the next day starts at the next local midnight, which is 23 or
// 25 hours later across a daylight-saving change, so days are never added as 24 hours.

/** "2026-11-25" as year, month (1–12) and day, or null when it is not a real calendar day. */
export function parseDay(day: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (match === null) {
    return null;
  }
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(year, month - 1, date);
  if (check.getFullYear() !== year || check.getMonth() !== month - 1 || check.getDate() !== date) {
    return null;
  }
  return { year, month, day: date };
}

/**
 * The first instant of a local day, `shift` days after `day`. Where midnight itself does not
 * exist (a clock change at midnight), the day starts at the first local time that does.
 */
function startOfLocalDay(day: string, shift: number): string | null {
  const parts = parseDay(day);
  if (parts === null) {
    return null;
  }
  // The Date constructor counts in local calendar days, so this is DST-safe.
  return new Date(parts.year, parts.month - 1, parts.day + shift, 0, 0, 0, 0).toISOString();
}

/** The instant a local day starts, as RFC 3339 in UTC; null for no or a malformed day. */
export function startOfDay(day: string): string | null {
  return startOfLocalDay(day, 0);
}

/** The instant the local day after `day` starts: the exclusive end of a period ending on `day`. */
export function startOfNextDay(day: string): string | null {
  return startOfLocalDay(day, 1);
}

/** The local calendar day of an instant, as a date input holds it ("2026-11-25"). */
export function localDay(at: Date): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1, 2)}-${pad(at.getDate(), 2)}`;
}

/** The same local day `years` years earlier or later (29 February becomes 1 March). */
export function shiftYears(day: string, years: number): string {
  const parts = parseDay(day);
  if (parts === null) {
    return day;
  }
  return localDay(new Date(parts.year + years, parts.month - 1, parts.day));
}

/** This machine's offset from UTC at `at`, in minutes, east positive (Berlin in winter: 60). */
export function utcOffsetMinutes(at: Date = new Date()): number {
  // getTimezoneOffset counts west as positive; `|| 0` turns -0 into 0.
  return -at.getTimezoneOffset() || 0;
}
