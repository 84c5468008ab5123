import { describe, expect, it } from 'vitest';
import type { ImportReportView, ImportedPatientView, PatientFormView } from '../../generated/bindings';
import {
  duplicateOf,
  groupProblems,
  invalidRowCount,
  previewTable,
  progressPercent,
  progressText,
  reportHeadline,
  signsText,
  sortedDuplicates,
  summaryLines,
} from './report';

describe('progress', () => {
  it('counts whole percent, and 100 only when every row is done', () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent({ done: 0, total: 0 })).toBe(0);
    expect(progressPercent({ done: 500, total: 2000 })).toBe(25);
    expect(progressPercent({ done: 1999, total: 2000 })).toBe(99);
    expect(progressPercent({ done: 2000, total: 2000 })).toBe(100);
    expect(progressPercent({ done: 3000, total: 2000 })).toBe(100);
    expect(progressPercent({ done: -5, total: 2000 })).toBe(0);
  });

  it('says how far it is in words', () => {
    expect(progressText(null, 'checked')).toBe('Reading the file…');
    expect(progressText({ done: 3500, total: 10000 }, 'checked')).toBe('3,500 of 10,000 rows checked (35%)');
    expect(progressText({ done: 1, total: 1 }, 'read')).toBe('1 of 1 row read (100%)');
  });
});

describe('the report', () => {
  const report: ImportReportView = {
    rows: 1204,
    valid: 1201,
    problems: [
      { line: 40, field: 'date_of_birth', message: 'The date of birth cannot be in the future.' },
      { line: 7, field: 'family_name', message: 'Enter the family name.' },
      { line: 40, field: 'address.postal_code', message: 'The postal code can be at most 20 characters.' },
      { line: 12, field: 'email', message: 'Enter an email address like name@example.org.' },
    ],
    duplicates: [
      { line: 30, signs: ['same_phone'], existingMrn: null, otherLine: 12 },
      { line: 14, signs: ['same_date_of_birth_similar_name', 'names_transposed'], existingMrn: '1000009', otherLine: null },
    ],
  };

  it('groups the problems by line, in the order of the file, with field names in words', () => {
    expect(groupProblems(report.problems)).toEqual([
      { line: 7, reasons: [{ field: 'family_name', label: 'Family name', message: 'Enter the family name.' }] },
      { line: 12, reasons: [{ field: 'email', label: 'Email', message: 'Enter an email address like name@example.org.' }] },
      {
        line: 40,
        reasons: [
          { field: 'date_of_birth', label: 'Date of birth', message: 'The date of birth cannot be in the future.' },
          { field: 'address.postal_code', label: 'Postal code', message: 'The postal code can be at most 20 characters.' },
        ],
      },
    ]);
    expect(invalidRowCount(report.problems)).toBe(3);
  });

  it('says what a duplicate resembles and why', () => {
    const [first, second] = sortedDuplicates(report.duplicates);
    expect(first.line).toBe(14);
    expect(duplicateOf(first)).toBe('the patient with MRN 1000009');
    expect(signsText(first.signs)).toBe('same date of birth and a similar name; family and given names swapped');
    expect(duplicateOf(second)).toBe('line 12 of this file');
    expect(signsText(['day_and_month_swapped', 'something_new'])).toBe('day and month of birth swapped; something new');
  });

  it('sums it up in one sentence', () => {
    expect(reportHeadline(report)).toBe('1,201 of 1,204 rows can be imported; 3 rows cannot.');
    expect(reportHeadline({ ...report, problems: [] })).toBe('All 1,204 rows can be imported.');
    expect(reportHeadline({ rows: 1, valid: 1, problems: [], duplicates: [] })).toBe('The row can be imported.');
    expect(reportHeadline({ rows: 2, valid: 0, problems: report.problems.slice(0, 2), duplicates: [] })).toBe(
      'None of the 2 rows can be imported.',
    );
    expect(reportHeadline({ rows: 0, valid: 0, problems: [], duplicates: [] })).toBe('The file has no rows to import.');
  });
});

describe('summaryLines', () => {
  it('says what was imported, flagged and left out', () => {
    expect(summaryLines({ imported: 1201, flaggedForReview: 2, skippedInvalid: 3 })).toEqual([
      '1,201 patients were imported.',
      '2 of them look like patients already registered or other rows of the file: they are flagged for review under Records › Duplicates.',
      '3 invalid rows were left out.',
    ]);
    expect(summaryLines({ imported: 1, flaggedForReview: 0, skippedInvalid: 0 })).toEqual(['1 patient was imported.']);
  });
});

describe('previewTable', () => {
  const row = (changes: Partial<PatientFormView>, sexAsWritten: string | null = null): ImportedPatientView => ({
    form: form(changes),
    sexAsWritten,
  });
  const form = (changes: Partial<PatientFormView>): PatientFormView => ({
    familyName: '',
    givenNames: '',
    preferredName: '',
    dateOfBirth: '',
    sex: 'unknown',
    genderIdentity: '',
    phones: [],
    email: '',
    address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: '' },
    emergencyContact: { name: '', relationship: '', phone: '' },
    insurance: { payer: '', memberId: '' },
    frontDeskNote: '',
    status: 'active',
    deceasedOn: '',
    ...changes,
  });

  it('shows only the fields some row fills', () => {
    const table = previewTable([
      row({ familyName: 'Ortega', givenNames: 'José', dateOfBirth: '1941-11-23', sex: 'male' }),
      row({ familyName: 'Smith', dateOfBirth: '7.3.84' }),
      row({ familyName: 'Nowak' }, 'k'),
    ]);
    expect(table.headings).toEqual(['Family name', 'Given names', 'Date of birth', 'Sex']);
    expect(table.rows[0][0]).toBe('Ortega');
    expect(table.rows[0][3]).toBe('Male');
    expect(table.rows[1][2]).toBe('7.3.84 (not read as a date)');
    expect(table.rows[1][3]).toBe('Unknown');
    expect(table.rows[2][3]).toBe('k (not read as a sex)');
  });

  it('shows the status when some row is not active', () => {
    const table = previewTable([row({ familyName: 'A' }), row({ familyName: 'B', status: 'deceased', deceasedOn: '2019-06-02' })]);
    expect(table.headings).toEqual(['Family name', 'Status', 'Date of death']);
    expect(table.rows[1].slice(1)).toEqual(['Deceased', expect.stringContaining('2019')]);
  });

  it('is empty without rows', () => {
    expect(previewTable([])).toEqual({ headings: [], rows: [] });
  });
});
