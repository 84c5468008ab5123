import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DuplicateReviewItemView, PatientFormView, PatientSummaryView } from '../../generated/bindings';
import { emptyPatientForm } from '../patients/form';
import {
  checkForDuplicates,
  dismissDuplicateReview,
  duplicateReviewQueue,
  enteredInErrorPatients,
  markPatientEnteredInError,
  mergePatients,
  mergePreview,
  openPatient,
  patientForMerge,
  patientHistory,
  patientMerges,
  registerPatient,
  searchPatients,
  unmergePatients,
  updatePatient,
} from './patients';

describe('patient commands', () => {
  // Stands in for the bridge Tauri puts into the window, to check command and argument names.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();
  const form: PatientFormView = { ...emptyPatientForm(), familyName: 'Müller', dateOfBirth: '07/03/1984' };

  beforeEach(() => {
    bridge.mockReset();
    bridge.mockResolvedValue(null);
    vi.stubGlobal('window', { __TAURI_INTERNALS__: { invoke: bridge } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('call the Rust commands by name with camelCase arguments', async () => {
    await searchPatients('mull anna');
    await checkForDuplicates(form);
    await registerPatient(form, ['p-1']);
    await openPatient('p-1', true);
    await updatePatient('p-1', 3, form);
    await markPatientEnteredInError('p-1', 3, 'Registered twice');
    await patientHistory('p-1');
    await patientMerges('p-1');
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['search_patients', { query: 'mull anna' }],
      ['check_for_duplicates', { form }],
      ['register_patient', { form, confirmedNewDespite: ['p-1'] }],
      ['open_patient', { patientId: 'p-1', fromDuplicateWarning: true }],
      ['update_patient', { patientId: 'p-1', version: 3, form }],
      ['mark_patient_entered_in_error', { patientId: 'p-1', version: 3, reason: 'Registered twice' }],
      ['patient_history', { patientId: 'p-1' }],
      ['patient_merges', { patientId: 'p-1' }],
    ]);
  });

  it('reject with the CommandError, with every wrong field', async () => {
    const invalid = {
      code: 'invalid_input',
      message: 'Enter the family name.',
      field: 'family_name',
      fields: [
        { field: 'family_name', message: 'Enter the family name.' },
        { field: 'email', message: 'Enter an email address like name@example.org.' },
      ],
    };
    bridge.mockRejectedValueOnce(invalid);
    await expect(registerPatient(form, [])).rejects.toEqual(invalid);
  });
});

describe('duplicate review, merges and records entered in error', () => {
  // Stands in for the bridge Tauri puts into the window, to check command and argument names.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();

  beforeEach(() => {
    bridge.mockReset();
    bridge.mockResolvedValue(null);
    vi.stubGlobal('window', { __TAURI_INTERNALS__: { invoke: bridge } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('call the Rust commands by name with camelCase arguments', async () => {
    await duplicateReviewQueue();
    await dismissDuplicateReview('p-1');
    await mergePreview('p-1', 'p-2');
    await mergePatients('p-1', 'p-2');
    await unmergePatients('m-1');
    await patientForMerge('1000042');
    await enteredInErrorPatients();
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['duplicate_review_queue', {}],
      ['dismiss_duplicate_review', { patientId: 'p-1' }],
      ['merge_preview', { survivorId: 'p-1', duplicateId: 'p-2' }],
      ['merge_patients', { survivorId: 'p-1', duplicateId: 'p-2' }],
      ['unmerge_patients', { mergeId: 'm-1' }],
      ['patient_for_merge', { mrn: '1000042' }],
      ['entered_in_error_patients', {}],
    ]);
  });

  it('give the duplicate review list as Rust sends it, each record beside the one it resembles', async () => {
    const summary = (id: string, mrn: string, familyName: string, givenNames: string): PatientSummaryView => ({
      id,
      mrn,
      familyName,
      givenNames,
      preferredName: '',
      dateOfBirth: '1970-01-02',
      age: 56,
      status: 'active',
      lastVisit: null,
      foundThroughAlias: null,
    });
    const items: DuplicateReviewItemView[] = [
      { flagged: summary('p-2', '1000017', 'Smyth', 'Jon'), resembles: summary('p-1', '1000009', 'Smith', 'John') },
      { flagged: summary('p-3', '1000025', 'Ortega', 'Jose'), resembles: null },
    ];
    bridge.mockResolvedValueOnce(items);
    expect(await duplicateReviewQueue()).toEqual(items);
  });
});
