import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DuplicateReviewItemView, ImportMappingView, PatientSummaryView } from '../../generated/bindings';
import {
  cancelImport,
  dateOrder,
  dismissDuplicateReview,
  dryRunImport,
  duplicateReviewQueue,
  enteredInErrorPatients,
  importFields,
  importMapping,
  importMappingNames,
  importPatients,
  mergePatients,
  mergePreview,
  patientHistory,
  patientForMerge,
  patientMerges,
  previewImport,
  saveImportMapping,
  setDateOrder,
  unmergePatients,
} from './owner';

describe('owner commands', () => {
  // Stands in for the bridge Tauri puts into the window, to check command and argument names.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();
  const mapping: ImportMappingView = {
    columns: [{ column: 'LAST', field: 'family_name', dateFormat: null, optional: false }],
    stripNameDigits: true,
  };

  beforeEach(() => {
    bridge.mockReset();
    bridge.mockResolvedValue(null);
    vi.stubGlobal('window', { __TAURI_INTERNALS__: { invoke: bridge } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('call the Rust commands by name with camelCase arguments', async () => {
    await importFields();
    await importMappingNames();
    await importMapping('synthea');
    await saveImportMapping('Old system', mapping);
    await previewImport('/tmp/patients.csv', null);
    await previewImport('/tmp/patients.csv', mapping);
    await dryRunImport('/tmp/patients.csv', mapping);
    await importPatients('/tmp/patients.csv', mapping, true);
    await cancelImport();
    await duplicateReviewQueue();
    await dismissDuplicateReview('p-1');
    await mergePreview('p-1', 'p-2');
    await mergePatients('p-1', 'p-2');
    await unmergePatients('m-1');
    await patientMerges('p-1');
    await patientForMerge('1000042');
    await enteredInErrorPatients();
    await patientHistory('p-3');
    await setDateOrder('mdy');
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['import_fields', {}],
      ['import_mapping_names', {}],
      ['import_mapping', { name: 'synthea' }],
      ['save_import_mapping', { name: 'Old system', mapping }],
      ['preview_import', { path: '/tmp/patients.csv', mapping: null }],
      ['preview_import', { path: '/tmp/patients.csv', mapping }],
      ['dry_run_import', { path: '/tmp/patients.csv', mapping }],
      ['import_patients', { path: '/tmp/patients.csv', mapping, skipInvalidRows: true }],
      ['cancel_import', {}],
      ['duplicate_review_queue', {}],
      ['dismiss_duplicate_review', { patientId: 'p-1' }],
      ['merge_preview', { survivorId: 'p-1', duplicateId: 'p-2' }],
      ['merge_patients', { survivorId: 'p-1', duplicateId: 'p-2' }],
      ['unmerge_patients', { mergeId: 'm-1' }],
      ['patient_merges', { patientId: 'p-1' }],
      ['patient_for_merge', { mrn: '1000042' }],
      ['entered_in_error_patients', {}],
      ['patient_history', { patientId: 'p-3' }],
      ['set_date_order', { order: 'mdy' }],
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

  it('read the date order as day first unless the practice writes month first', async () => {
    bridge.mockResolvedValueOnce('mdy');
    expect(await dateOrder()).toBe('mdy');
    bridge.mockResolvedValueOnce('dmy');
    expect(await dateOrder()).toBe('dmy');
    bridge.mockResolvedValueOnce('something else');
    expect(await dateOrder()).toBe('dmy');
  });

  it('reject with the CommandError naming the field', async () => {
    const invalid = { code: 'invalid_input', message: '3 rows are not valid (the first on line 4).', field: 'file' };
    bridge.mockRejectedValueOnce(invalid);
    await expect(importPatients('/tmp/p.csv', mapping, false)).rejects.toEqual(invalid);
  });
});
