import { describe, expect, it } from 'vitest';
import { placeErrors } from '../forms/fieldErrors';
import type { ChartItemVersionView, ChartItemView, CommandError, ItemFormView } from '../../generated/bindings';
import {
  emptyForm,
  fieldsOf,
  formOf,
  historyEntries,
  isCurrent,
  itemDetails,
  itemTitle,
  severityLabel,
  statusLabel,
} from './items';

const form = (changes: Partial<ItemFormView>): ItemFormView => ({ ...emptyForm('allergy'), ...changes });

describe('chart items', () => {
  it('have the fields of their kind, the required one first', () => {
    expect(fieldsOf('allergy').map((field) => field.name)).toEqual(['substance', 'reaction', 'severity', 'status']);
    expect(fieldsOf('medication').map((field) => field.name)).toEqual([
      'name',
      'dose',
      'route',
      'frequency',
      'start',
      'stop',
      'status',
    ]);
    expect(fieldsOf('problem').map((field) => field.name)).toEqual(['description', 'icd10', 'onset', 'status']);
    for (const kind of ['allergy', 'medication', 'problem'] as const) {
      expect(fieldsOf(kind)[0]).toMatchObject({ required: true });
    }
  });

  it('are edited with their dates in the practice order', () => {
    const item: ChartItemView = {
      id: 'i-1',
      version: 2,
      form: form({ kind: 'medication', name: 'Amoxicillin', start: '2026-03-07', stop: '' }),
      recordedAt: '2026-03-07T09:00:00Z',
      updatedAt: '2026-03-07T09:00:00Z',
    };
    expect(formOf(item, 'dmy')).toMatchObject({ name: 'Amoxicillin', start: '07/03/2026', stop: '' });
    expect(formOf(item, 'mdy').start).toBe('03/07/2026');
  });

  it('read in one line: what it is, then its details', () => {
    expect(itemTitle(form({ substance: 'Penicillin' }))).toBe('Penicillin');
    expect(itemTitle(emptyForm('no_known_allergies'))).toBe('No known allergies');
    const medication = form({ kind: 'medication', name: 'Amoxicillin', dose: '500 mg', route: 'oral', start: '2026-03-07' });
    expect(itemTitle(medication)).toBe('Amoxicillin');
    expect(itemDetails(medication, 'dmy')).toEqual(['500 mg', 'oral', 'since 07/03/2026']);
    expect(itemDetails({ ...medication, stop: '2026-03-14' }, 'dmy')).toEqual(['500 mg', 'oral', '07/03/2026 to 14/03/2026']);
    const problem = form({ kind: 'problem', description: 'Asthma', icd10: 'J45.909', onset: '2001-05-01' });
    expect(itemDetails(problem, 'mdy')).toEqual(['J45.909', 'since 05/01/2001']);
    expect(itemDetails(form({ substance: 'Latex', reaction: 'Rash' }), 'dmy')).toEqual(['Rash']);
  });

  it('name their choices in words and count active and on hold as current', () => {
    expect(severityLabel('severe')).toBe('Severe');
    expect(severityLabel(null)).toBe('');
    expect(statusLabel({ kind: 'medication', status: 'on_hold' })).toBe('On hold');
    expect(statusLabel({ kind: 'problem', status: 'resolved' })).toBe('Resolved');
    expect([isCurrent({ status: 'active' }), isCurrent({ status: 'on_hold' }), isCurrent({ status: 'stopped' })]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it("put each of Rust's field errors under its field, and the rest above the form", () => {
    const fields = fieldsOf('medication').map((field) => field.name);
    const several: CommandError = {
      code: 'invalid_input',
      message: 'The stop date comes before the start.',
      field: 'stop',
      fields: [
        { field: 'stop', message: 'The stop date comes before the start.' },
        { field: 'name', message: 'Enter the medication.' },
      ],
    };
    expect(placeErrors(several, fields)).toEqual({
      byField: { stop: 'The stop date comes before the start.', name: 'Enter the medication.' },
      rest: null,
    });
    const one: CommandError = { code: 'invalid_input', message: 'An ICD-10 code looks like J45.', field: 'icd10' };
    expect(placeErrors(one, fieldsOf('problem').map((field) => field.name))).toEqual({
      byField: { icd10: 'An ICD-10 code looks like J45.' },
      rest: null,
    });
    const elsewhere: CommandError = { code: 'invalid_input', message: 'Mark those first.', field: 'allergies' };
    expect(placeErrors(elsewhere, fields)).toEqual({ byField: {}, rest: 'Mark those first.' });
    const none: CommandError = { code: 'internal', message: 'Nothing was changed.', field: null };
    expect(placeErrors(none, fields)).toEqual({ byField: {}, rest: 'Nothing was changed.' });
  });

  it('show History newest first, with every value at first and then what changed', () => {
    const version = (changes: Partial<ChartItemVersionView>): ChartItemVersionView => ({
      version: 1,
      form: form({ substance: 'Penicillin', severity: 'moderate' }),
      change: 'recorded',
      reason: null,
      amendmentRequestId: null,
      changedBy: 'Cleo Clinician (cleo)',
      changedAt: '2026-11-25T09:00:00Z',
      changedFields: [],
      ...changes,
    });
    const entries = historyEntries(
      [
        version({}),
        version({
          version: 3,
          change: 'entered_in_error',
          reason: 'Wrong patient',
          form: form({ substance: 'Penicillin', severity: 'severe' }),
        }),
        version({ version: 2, change: 'updated', changedFields: ['severity'], form: form({ substance: 'Penicillin', severity: 'severe' }) }),
      ],
      'dmy',
    );
    expect(entries.map((entry) => [entry.version, entry.what])).toEqual([
      [3, 'Entered in error'],
      [2, 'Changed'],
      [1, 'Recorded'],
    ]);
    expect(entries[0]).toMatchObject({ reason: 'Wrong patient', changes: [], first: false });
    expect(entries[1].changes).toEqual([{ field: 'severity', label: 'Severity', before: 'Moderate', after: 'Severe' }]);
    expect(entries[2].first).toBe(true);
    expect(entries[2].changes.map((change) => [change.label, change.after])).toEqual([
      ['Substance', 'Penicillin'],
      ['Severity', 'Moderate'],
      ['Status', 'Active'],
    ]);
    expect(entries[2].who).toBe('Cleo Clinician (cleo)');
    expect(entries.every((entry) => entry.amendmentRequestId === null)).toBe(true);
  });

  it('mark a version made for an amendment request of the patient', () => {
    const recorded: ChartItemVersionView = {
      version: 1,
      form: form({ substance: 'Penicillin' }),
      change: 'recorded',
      reason: null,
      amendmentRequestId: null,
      changedBy: 'Cleo Clinician (cleo)',
      changedAt: '2026-11-25T09:00:00Z',
      changedFields: [],
    };
    const amended: ChartItemVersionView = {
      ...recorded,
      version: 2,
      form: form({ substance: 'Amoxicillin' }),
      change: 'amended',
      reason: 'Pharmacy record confirms',
      amendmentRequestId: 'r-1',
      changedFields: ['substance'],
    };
    const [latest] = historyEntries([recorded, amended], 'dmy');
    expect(latest).toMatchObject({
      what: "Amended at the patient's request",
      reason: 'Pharmacy record confirms',
      amendmentRequestId: 'r-1',
      changes: [{ field: 'substance', label: 'Substance', before: 'Penicillin', after: 'Amoxicillin' }],
    });
  });
});
