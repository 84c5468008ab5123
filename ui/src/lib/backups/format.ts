// How backups read on screen: sizes, times on the local clock and how long ago, why a backup
// was made, and a verification's checks in words. Plain functions, tested on their own.
import type { BackupCheck, BackupRecordView, BackupTrigger, BackupVerificationView } from '../../generated/bindings';

const UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** Bytes in decimal units, as drives and file managers count them: "512 bytes", "12.3 MB". */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '—';
  }
  if (bytes < 1000) {
    return bytes === 1 ? '1 byte' : `${Math.round(bytes)} bytes`;
  }
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  const number = new Intl.NumberFormat(locale ?? 'en', { maximumFractionDigits: digits }).format(value);
  return `${number} ${UNITS[unit]}`;
}

/** A stored instant (RFC 3339, UTC) as a date and time on this PC's clock. */
export function formatWhen(instant: string, locale?: string): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return instant;
  }
  return at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The date and the time of day of a stored instant apart, on this PC's clock (for a narrow column). */
export function dateAndTime(instant: string, locale?: string): { date: string; time: string } {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return { date: instant, time: '' };
  }
  return {
    date: at.toLocaleDateString(locale, { dateStyle: 'medium' }),
    time: at.toLocaleTimeString(locale, { timeStyle: 'short' }),
  };
}

/**
 * How long ago `instant` was, in words: minutes within the hour, hours within two days, then
 * days. A time a little ahead of this PC's clock reads as "just now".
 */
export function formatAge(instant: string, now: Date = new Date()): string {
  const at = new Date(instant).getTime();
  if (Number.isNaN(at)) {
    return '';
  }
  const minutes = Math.floor((now.getTime() - at) / 60_000);
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  }
  return `${Math.floor(hours / 24)} days ago`;
}

const TRIGGERS: Record<BackupTrigger, string> = {
  manual: 'By hand',
  daily: 'Daily',
  log_off: 'On sign-out',
  command_line: 'Command line',
  restored: 'Restored onto this PC from it',
};

/** Why a backup was made, in words. */
export function triggerLabel(trigger: BackupTrigger): string {
  return TRIGGERS[trigger] ?? trigger;
}

/** What each check means, in the order a verification runs them (one entry per check). */
const CHECK_LABELS: Record<BackupCheck, string> = {
  opens: 'Opens with the practice\u2019s key',
  manifest: 'Manifest is authentic',
  recipients: 'Sealed to the keys the practice recorded',
  contents: 'Contents match the manifest',
  pages: 'Every page is intact',
  structure: 'Database structure',
  audit_chain: 'Audit chain',
  row_counts: 'Row counts',
};

/**
 * The checks in order. The recipients are checked only by the practice itself (not with a
 * recovery key on another PC): when that check is absent it is left out, not shown as "not
 * reached".
 */
const CHECKS: readonly { check: BackupCheck; label: string; optional: boolean }[] = (
  Object.keys(CHECK_LABELS) as BackupCheck[]
).map((check) => ({ check, label: CHECK_LABELS[check], optional: check === 'recipients' }));

export type CheckState = 'passed' | 'failed' | 'not_reached';

export interface CheckRow {
  check: BackupCheck;
  label: string;
  state: CheckState;
  detail: string;
}

/**
 * Every check in order with its result. A verification stops at the first check that cannot
 * go on (a file that does not open has no pages to check): the checks after it read "not
 * reached".
 */
export function checkRows(verification: BackupVerificationView): CheckRow[] {
  const asked = CHECKS.filter(
    ({ check, optional }) => !optional || verification.checks.some((candidate) => candidate.check === check),
  );
  return asked.map(({ check, label }): CheckRow => {
    const found = verification.checks.find((candidate) => candidate.check === check);
    return found
      ? { check, label, state: found.passed ? 'passed' : 'failed', detail: found.detail }
      : { check, label, state: 'not_reached', detail: 'Not checked: an earlier check failed.' };
  });
}

/** The state of a listed backup's verification. */
export type RecordVerification = 'passed' | 'failed' | 'not_verified';

export function recordVerification(record: BackupRecordView): RecordVerification {
  if (record.verificationPassed === true) {
    return 'passed';
  }
  return record.verificationPassed === false ? 'failed' : 'not_verified';
}

/**
 * The full path of a listed backup: its folder and file name, joined with the separator the
 * folder already uses (a backslash for a Windows folder, a slash otherwise).
 */
export function backupPath(folder: string, fileName: string): string {
  const windows = folder.includes('\\') && !folder.includes('/');
  const separator = windows ? '\\' : '/';
  const trimmed = folder.endsWith(separator) ? folder.slice(0, -1) : folder;
  return trimmed === '' ? `${separator}${fileName}` : `${trimmed}${separator}${fileName}`;
}

/** The last part of a path, for naming a chosen file. */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** "1 patient", "1,204 patients". */
export function countOf(count: number, one: string, many: string, locale?: string): string {
  return `${new Intl.NumberFormat(locale ?? 'en').format(count)} ${count === 1 ? one : many}`;
}
