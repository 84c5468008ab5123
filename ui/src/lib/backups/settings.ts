// The backup settings form: what the Owner types (text, so a half-typed number is still shown
// as typed) and the settings Rust takes, and where each of Rust's field errors goes. Rust checks
// every value; this only turns "not a whole number" into a sentence before sending.
import type { BackupSettingsView } from '../../generated/bindings';

export interface SettingsForm {
  destination: string;
  dailyOn: boolean;
  dailyAt: string;
  logOffOn: boolean;
  logOffHours: string;
  keepDaily: string;
  keepWeekly: string;
  keepMonthly: string;
  /** One age public key a line. */
  recipients: string;
}

export type SettingsField = 'destination' | 'dailyAt' | 'logOffHours' | 'keepDaily' | 'keepWeekly' | 'keepMonthly' | 'recipients';

/** The names Rust may give each field (it uses snake_case: `daily_at`, `keep_daily`, …). */
export const SETTINGS_FIELDS: Readonly<Record<SettingsField, readonly string[]>> = {
  destination: [],
  dailyAt: ['daily_at'],
  logOffHours: ['on_log_off_after_hours', 'onLogOffAfterHours'],
  keepDaily: ['keep_daily'],
  keepWeekly: ['keep_weekly'],
  keepMonthly: ['keep_monthly'],
  recipients: ['further_recipients', 'furtherRecipients'],
};

/** Suggested when a schedule is switched on for the first time. */
export const DEFAULT_DAILY_AT = '18:30';
export const DEFAULT_LOG_OFF_HOURS = 24;

export function formOf(settings: BackupSettingsView): SettingsForm {
  return {
    destination: settings.destination ?? '',
    dailyOn: settings.dailyAt !== null,
    dailyAt: settings.dailyAt ?? DEFAULT_DAILY_AT,
    logOffOn: settings.onLogOffAfterHours !== null,
    logOffHours: String(settings.onLogOffAfterHours ?? DEFAULT_LOG_OFF_HOURS),
    keepDaily: String(settings.keepDaily),
    keepWeekly: String(settings.keepWeekly),
    keepMonthly: String(settings.keepMonthly),
    recipients: settings.furtherRecipients.join('\n'),
  };
}

/** The keys in the box: one a line (spaces and commas between them work too), blanks dropped. */
export function recipientsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((recipient) => recipient.trim())
    .filter((recipient) => recipient !== '');
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : null;
}

export type FormErrors = Partial<Record<SettingsField, string>>;

/** The settings to send, or the fields that are not whole numbers. */
export function settingsOf(form: SettingsForm): { settings: BackupSettingsView } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const number = (field: SettingsField, text: string, message: string): number => {
    const value = wholeNumber(text);
    if (value === null) {
      errors[field] = message;
    }
    return value ?? 0;
  };
  const keepDaily = number('keepDaily', form.keepDaily, 'Give a whole number of daily backups, from 1 to 366.');
  const keepWeekly = number('keepWeekly', form.keepWeekly, 'Give a whole number of weekly backups, 0 or more.');
  const keepMonthly = number('keepMonthly', form.keepMonthly, 'Give a whole number of monthly backups, 0 or more.');
  const logOffHours = form.logOffOn
    ? number('logOffHours', form.logOffHours, 'Give a whole number of hours, from 1 to 720.')
    : null;
  if (Object.keys(errors).length > 0) {
    return { errors };
  }
  const destination = form.destination.trim();
  return {
    settings: {
      destination: destination === '' ? null : destination,
      dailyAt: form.dailyOn ? form.dailyAt.trim() : null,
      onLogOffAfterHours: logOffHours,
      keepDaily,
      keepWeekly,
      keepMonthly,
      furtherRecipients: recipientsOf(form.recipients),
    },
  };
}

/** The fields in the order the form shows them, to focus the first one in error. */
export const SETTINGS_ORDER: readonly SettingsField[] = [
  'destination',
  'dailyAt',
  'logOffHours',
  'keepDaily',
  'keepWeekly',
  'keepMonthly',
  'recipients',
];
