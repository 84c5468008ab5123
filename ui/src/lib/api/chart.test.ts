import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemFormView, SoapNoteView } from '../../generated/bindings';
import { acceptAmendmentToItem, acceptAmendmentToNote, addAddendum, chartItemHistory, discardDraftNote, encounter, exportPatientFhir, markChartItemEnteredInError, printPatientSummary, recordChartItem, saveDraftNote, signNote, startEncounter, updateChartItem } from './chart';

describe('chart commands', () => {
  // Stands in for the bridge Tauri puts into the window, to check command and argument names.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();
  const note: SoapNoteView = {
    subjective: 'Cough for a week',
    objective: 'Chest clear',
    assessment: 'Viral bronchitis',
    plan: 'Fluids, review in a week',
    freeText: '',
  };
  const item: ItemFormView = {
    kind: 'allergy',
    substance: 'Penicillin',
    reaction: 'Hives',
    severity: 'severe',
    status: 'active',
    name: '',
    dose: '',
    route: '',
    frequency: '',
    start: '',
    stop: '',
    description: '',
    icd10: '',
    onset: '',
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
    await startEncounter('p-1', 'visit', '');
    await saveDraftNote('e-1', 'phone', note);
    await discardDraftNote('e-2');
    await signNote('e-1');
    await addAddendum('e-1', 'Chest X-ray normal.');
    await encounter('e-1');
    await recordChartItem('p-1', item);
    await updateChartItem('i-1', 3, item);
    await markChartItemEnteredInError('i-1', 4, 'Recorded on the wrong patient');
    await chartItemHistory('i-1');
    await acceptAmendmentToItem('r-1', 'The patient is right', 'i-1', 5, item);
    await acceptAmendmentToNote('r-2', 'The date was wrong', 'e-1', 'The visit was on Tuesday.');
    await printPatientSummary('p-1', 5, 60, 'summary.pdf');
    await exportPatientFhir('p-1', 'bundle.json');
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['start_encounter', { patientId: 'p-1', kind: 'visit', occurredAt: '' }],
      ['save_draft_note', { encounterId: 'e-1', kind: 'phone', note }],
      ['discard_draft_note', { encounterId: 'e-2' }],
      ['sign_note', { encounterId: 'e-1' }],
      ['add_addendum', { encounterId: 'e-1', text: 'Chest X-ray normal.' }],
      ['encounter', { encounterId: 'e-1' }],
      ['record_chart_item', { patientId: 'p-1', item }],
      ['update_chart_item', { itemId: 'i-1', version: 3, item }],
      ['mark_chart_item_entered_in_error', { itemId: 'i-1', version: 4, reason: 'Recorded on the wrong patient' }],
      ['chart_item_history', { itemId: 'i-1' }],
      ['accept_amendment_to_item', { requestId: 'r-1', reason: 'The patient is right', itemId: 'i-1', version: 5, item }],
      [
        'accept_amendment_to_note',
        { requestId: 'r-2', reason: 'The date was wrong', encounterId: 'e-1', addendum: 'The visit was on Tuesday.' },
      ],
      ['print_patient_summary', { patientId: 'p-1', encounters: 5, offsetMinutes: 60, suggestedName: 'summary.pdf' }],
      ['export_patient_fhir', { patientId: 'p-1', suggestedName: 'bundle.json' }],
    ]);
  });

  it('resolve with what Rust answers', async () => {
    bridge.mockResolvedValueOnce({ path: '/home/d/summary.pdf', count: 3 });
    expect(await printPatientSummary('p-1', 5, 0, 'summary.pdf')).toEqual({ path: '/home/d/summary.pdf', count: 3 });
    bridge.mockResolvedValueOnce(null);
    expect(await exportPatientFhir('p-1', 'bundle.json')).toBeNull();
  });

  it('reject with the CommandError of a signed note, a stale edit or several wrong fields', async () => {
    const signed = { code: 'invalid_input', message: 'This note is signed and can no longer change.', field: 'note' };
    bridge.mockRejectedValueOnce(signed);
    await expect(saveDraftNote('e-1', 'visit', note)).rejects.toEqual(signed);
    const stale = { code: 'stale_record', message: 'Someone else changed this record since you opened it.', field: null };
    bridge.mockRejectedValueOnce(stale);
    await expect(updateChartItem('i-1', 1, item)).rejects.toEqual(stale);
    const fields = [
      { field: 'stop', message: 'The stop date comes before the start.' },
      { field: 'name', message: 'Enter the medication.' },
    ];
    bridge.mockRejectedValueOnce({ code: 'invalid_input', message: fields[0].message, field: 'stop', fields });
    await expect(recordChartItem('p-1', { ...item, kind: 'medication' })).rejects.toEqual({
      code: 'invalid_input',
      message: fields[0].message,
      field: 'stop',
      fields,
    });
  });

  it('turn anything else thrown into an internal CommandError', async () => {
    bridge.mockRejectedValueOnce('IPC broke');
    await expect(signNote('e-1')).rejects.toMatchObject({ code: 'internal', field: null });
  });
});
