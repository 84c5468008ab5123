import { describe, expect, it } from 'vitest';
import type { BackupSettingsView, CommandError } from '../../generated/bindings';
import { firstFieldInError, placeErrors } from '../forms/fieldErrors';
import { formOf, recipientsOf, SETTINGS_FIELDS, SETTINGS_ORDER, settingsOf } from './settings';

const errorsOf = (error: CommandError) => placeErrors(error, SETTINGS_FIELDS);
const firstErrorField = (errors: ReturnType<typeof errorsOf>['byField']) => firstFieldInError(errors, SETTINGS_ORDER);

const KEY_A = 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq';
const KEY_B = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

const saved: BackupSettingsView = {
  destination: '/media/usb/backups',
  dailyAt: null,
  onLogOffAfterHours: 24,
  keepDaily: 7,
  keepWeekly: 4,
  keepMonthly: 12,
  furtherRecipients: [KEY_A, KEY_B],
};

describe('the backup settings form', () => {
  it('shows saved settings, with a suggested time for a schedule that is off', () => {
    expect(formOf(saved)).toEqual({
      destination: '/media/usb/backups',
      dailyOn: false,
      dailyAt: '18:30',
      logOffOn: true,
      logOffHours: '24',
      keepDaily: '7',
      keepWeekly: '4',
      keepMonthly: '12',
      recipients: `${KEY_A}\n${KEY_B}`,
    });
  });

  it('gives back what was saved when nothing was changed', () => {
    expect(settingsOf(formOf(saved))).toEqual({ settings: saved });
  });

  it('sends off as null, a blank folder as none, and the keys one a line', () => {
    const form = { ...formOf(saved), destination: '  ', logOffOn: false, dailyOn: true, dailyAt: ' 07:05 ' };
    form.recipients = `\n  ${KEY_A}  \n\n${KEY_B}, \n`;
    expect(settingsOf(form)).toEqual({
      settings: {
        ...saved,
        destination: null,
        dailyAt: '07:05',
        onLogOffAfterHours: null,
        furtherRecipients: [KEY_A, KEY_B],
      },
    });
  });

  it('leaves the range to Rust but says when a count is not a whole number', () => {
    const form = { ...formOf(saved), keepDaily: 'seven', keepMonthly: '1.5', logOffHours: '' };
    expect(settingsOf(form)).toEqual({
      errors: {
        keepDaily: 'Give a whole number of daily backups, from 1 to 366.',
        keepMonthly: 'Give a whole number of monthly backups, 0 or more.',
        logOffHours: 'Give a whole number of hours, from 1 to 720.',
      },
    });
    expect(settingsOf({ ...form, keepDaily: '400', keepMonthly: '0', logOffOn: false })).toMatchObject({
      settings: { keepDaily: 400, keepMonthly: 0, onLogOffAfterHours: null },
    });
  });

  it('reads recipients separated by lines, spaces or commas', () => {
    expect(recipientsOf(` ${KEY_A}\r\n${KEY_B} `)).toEqual([KEY_A, KEY_B]);
    expect(recipientsOf('')).toEqual([]);
  });
});

describe('Rust\u2019s errors on the form', () => {
  it('puts a single error under its field', () => {
    const error: CommandError = {
      code: 'invalid_input',
      message: 'Choose a folder that exists (connect the drive first).',
      field: 'destination',
    };
    expect(errorsOf(error)).toEqual({
      byField: { destination: 'Choose a folder that exists (connect the drive first).' },
      rest: null,
    });
  });

  it('puts each of several under its field, two for one field together', () => {
    const error: CommandError = {
      code: 'invalid_input',
      message: 'Write the time as HH:MM, for example 18:30.',
      field: 'daily_at',
      fields: [
        { field: 'daily_at', message: 'Write the time as HH:MM, for example 18:30.' },
        { field: 'keep_weekly', message: 'Keep at most 260 weekly backups.' },
        { field: 'further_recipients', message: '"agex" is not an age public key (it starts with age1).' },
        { field: 'further_recipients', message: '"bob" is not an age public key (it starts with age1).' },
        { field: 'on_log_off_after_hours', message: 'Choose between 1 and 720 hours.' },
      ],
    };
    const { byField: errors, rest } = errorsOf(error);
    expect(errors).toEqual({
      dailyAt: 'Write the time as HH:MM, for example 18:30.',
      keepWeekly: 'Keep at most 260 weekly backups.',
      recipients:
        '"agex" is not an age public key (it starts with age1). "bob" is not an age public key (it starts with age1).',
      logOffHours: 'Choose between 1 and 720 hours.',
    });
    expect(rest).toBeNull();
    expect(firstErrorField(errors)).toBe('dailyAt');
  });

  it('keeps an error that names no field of the form for above the button', () => {
    const error: CommandError = { code: 'forbidden', message: 'Only the Owner manages backups.', field: null };
    expect(errorsOf(error)).toEqual({ byField: {}, rest: 'Only the Owner manages backups.' });
    expect(firstErrorField({})).toBeNull();
  });
});
