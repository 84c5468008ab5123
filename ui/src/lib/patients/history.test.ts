import { describe, expect, it } from 'vitest';
import type { PatientMergeView, PatientVersionView, VersionChange } from '../../generated/bindings';
import { emptyPatientForm } from './form';
import { historyEntries, mergeText } from './history';

function version(number: number, change: VersionChange, changedFields: string[], edit: (form: ReturnType<typeof emptyPatientForm>) => void) {
  const form = { ...emptyPatientForm(), familyName: 'Müller', dateOfBirth: '1984-03-07' };
  edit(form);
  const view: PatientVersionView = {
    version: number,
    change,
    reason: null,
    changedBy: 'Dee Desk (desk)',
    changedAt: `2026-11-2${number}T10:00:00Z`,
    changedFields,
    form,
  };
  return view;
}

describe('historyEntries', () => {
  it('lists versions newest first with each change before and after', () => {
    const entries = historyEntries(
      [
        version(1, 'registered', [], () => {}),
        version(2, 'updated', ['email', 'date_of_birth'], (form) => {
          form.email = 'anna@example.org';
          form.dateOfBirth = '1984-07-03';
        }),
      ],
      'dmy',
    );
    expect(entries.map((entry) => entry.version.version)).toEqual([2, 1]);
    expect(entries[0].changes).toEqual([
      { field: 'email', label: 'Email', before: '', after: 'anna@example.org' },
      { field: 'date_of_birth', label: 'Date of birth', before: '07/03/1984', after: '03/07/1984' },
    ]);
    expect(entries[1].changes).toEqual([]);
  });
});

describe('mergeText', () => {
  it('says which side of the merge this record is on, naming the other record', () => {
    const merge: PatientMergeView = {
      id: 'm-1',
      survivorId: 'p-1',
      survivorMrn: '1000009',
      survivorName: 'Smith, John',
      mergedId: 'p-2',
      mergedMrn: '1000017',
      mergedName: 'Smyth, Jon',
      mergedBy: 'Olu Owner (owner)',
      mergedAt: '2026-11-20T10:00:00Z',
      unmergedBy: null,
      unmergedAt: null,
    };
    expect(mergeText(merge, 'p-1')).toBe('Smyth, Jon (MRN 1000017) was merged into this one by Olu Owner (owner)');
    expect(mergeText(merge, 'p-2')).toBe('This record was merged into Smith, John (MRN 1000009) by Olu Owner (owner)');
  });
});
