import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PatientFormView } from '../../generated/bindings';
import { emptyPatientForm } from '../patients/form';
import {
  checkForDuplicates,
  markPatientEnteredInError,
  openPatient,
  patientHistory,
  patientMerges,
  registerPatient,
  searchPatients,
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
