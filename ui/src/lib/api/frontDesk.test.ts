import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AmendmentRequestFormView, DisclosureFormView, ImportMappingView, NewAppointmentView } from '../../generated/bindings';
import { openChart } from './chart';
import {
  bookAppointment,
  cancelImport,
  clinicians,
  correctDisclosure,
  dateOrder,
  dryRunImport,
  importFields,
  importMapping,
  importMappingNames,
  importPatients,
  previewImport,
  saveImportMapping,
  setDateOrder,
  daySchedule, decideAmendmentRequest, patientAmendmentRequests, patientAppointments, patientDisclosures, recordAmendmentRequest, recordDisclosure, registerWalkIn, requestEmergencyAccess, rescheduleAppointment, setAppointmentStatus } from './frontDesk';

describe('front desk commands', () => {
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();
  const appointment: NewAppointmentView = {
    patientId: 'p-1',
    clinicianId: 'c-1',
    startsAt: '2026-11-25T08:30:00.000Z',
    minutes: 15,
    reason: 'Check-up',
  };
  const disclosure: DisclosureFormView = {
    disclosedOn: '2026-11-20',
    recipient: 'Insurer',
    purpose: 'Claim',
    information: 'Diagnosis codes',
  };
  const request: AmendmentRequestFormView = {
    receivedOn: '2026-11-20',
    item: 'demographics',
    itemId: null,
    requestedChange: 'Spell the name Müller',
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
    await clinicians();
    await daySchedule('2026-11-24T23:00:00.000Z', '2026-11-25T23:00:00.000Z');
    await bookAppointment(appointment, true);
    await registerWalkIn('p-1', 'c-1', 10, 'Cough');
    await rescheduleAppointment('a-1', '2026-11-25T09:00:00.000Z', 20, 'c-2', false);
    await setAppointmentStatus('a-1', 'cancelled', 'Patient called');
    await patientAppointments('p-1');
    await recordDisclosure('p-1', disclosure);
    await correctDisclosure('d-1', disclosure, 'Wrong recipient');
    await patientDisclosures('p-1');
    await recordAmendmentRequest('p-1', request);
    await decideAmendmentRequest('r-1', false, 'The spelling is right');
    await patientAmendmentRequests('p-1');
    await requestEmergencyAccess('p-1', 'Ambulance crew asks for allergies');
    await openChart('p-1');
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['clinicians', {}],
      ['day_schedule', { from: '2026-11-24T23:00:00.000Z', to: '2026-11-25T23:00:00.000Z' }],
      ['book_appointment', { appointment, acceptOverlap: true }],
      ['register_walk_in', { patientId: 'p-1', clinicianId: 'c-1', minutes: 10, reason: 'Cough' }],
      [
        'reschedule_appointment',
        { appointmentId: 'a-1', startsAt: '2026-11-25T09:00:00.000Z', minutes: 20, clinicianId: 'c-2', acceptOverlap: false },
      ],
      ['set_appointment_status', { appointmentId: 'a-1', status: 'cancelled', cancelReason: 'Patient called' }],
      ['patient_appointments', { patientId: 'p-1' }],
      ['record_disclosure', { patientId: 'p-1', disclosure }],
      ['correct_disclosure', { disclosureId: 'd-1', disclosure, reason: 'Wrong recipient' }],
      ['patient_disclosures', { patientId: 'p-1' }],
      ['record_amendment_request', { patientId: 'p-1', request }],
      ['decide_amendment_request', { requestId: 'r-1', accepted: false, reason: 'The spelling is right' }],
      ['patient_amendment_requests', { patientId: 'p-1' }],
      ['request_emergency_access', { patientId: 'p-1', reason: 'Ambulance crew asks for allergies' }],
      ['open_chart', { patientId: 'p-1' }],
    ]);
  });

  it('read the date order, day first unless the practice says month first', async () => {
    bridge.mockResolvedValueOnce('mdy');
    expect(await dateOrder()).toBe('mdy');
    bridge.mockResolvedValueOnce('dmy');
    expect(await dateOrder()).toBe('dmy');
    bridge.mockResolvedValueOnce('something else');
    expect(await dateOrder()).toBe('dmy');
    expect(bridge.mock.calls.map(([command]) => command)).toEqual(['date_order', 'date_order', 'date_order']);
  });

  it('reject with the CommandError of an overlap', async () => {
    const overlap = { code: 'needs_confirmation', message: 'Dr Who already has a booking then. Book anyway?', field: 'starts_at' };
    bridge.mockRejectedValueOnce(overlap);
    await expect(bookAppointment(appointment, false)).rejects.toEqual(overlap);
  });
});

describe('import commands and the date order', () => {
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
      ['set_date_order', { order: 'mdy' }],
    ]);
  });

  it('reject with the CommandError naming the field', async () => {
    const invalid = { code: 'invalid_input', message: '3 rows are not valid (the first on line 4).', field: 'file' };
    bridge.mockRejectedValueOnce(invalid);
    await expect(importPatients('/tmp/p.csv', mapping, false)).rejects.toEqual(invalid);
  });
});
