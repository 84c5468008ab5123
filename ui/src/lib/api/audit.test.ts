import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditFilterView, AuditSortView } from '../../generated/bindings';
import { acknowledgeIntegrityAlert, auditActionChoices, auditEntries, auditIntegrityStatus, auditPatientByMrn, auditStaffChoices, exportAuditCsv, exportAuditPdf, integrityAlertsToShow, patientAccessReport, verifyAuditChain } from './audit';

describe('audit commands', () => {
  // Stands in for the bridge Tauri puts into the window, to check command and argument names.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();
  const filter: AuditFilterView = {
    from: '2026-10-31T23:00:00.000Z',
    to: null,
    userId: 'u-1',
    patientId: null,
    action: 'login',
    outcome: null,
    emergencyOnly: false,
  };
  const sort: AuditSortView = { column: 'entry', descending: true };

  beforeEach(() => {
    bridge.mockReset();
    bridge.mockResolvedValue(null);
    vi.stubGlobal('window', { __TAURI_INTERNALS__: { invoke: bridge } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('call the Rust commands by name with camelCase arguments', async () => {
    await auditEntries(filter, sort, 100, 100);
    await auditActionChoices();
    await auditStaffChoices();
    await auditIntegrityStatus();
    await integrityAlertsToShow();
    await verifyAuditChain();
    await acknowledgeIntegrityAlert('a-1', 'Restored from backup.');
    await exportAuditCsv(filter, sort, 'audit.csv');
    await exportAuditPdf(filter, sort, 60, 'audit.pdf');
    await patientAccessReport('p-1', 'from', 'to', -300, 'report.pdf');
    await auditPatientByMrn('1000009');
    expect(bridge.mock.calls.map(([command, args]) => [command, args])).toEqual([
      ['audit_entries', { filter, sort, offset: 100, limit: 100 }],
      ['audit_action_choices', {}],
      ['audit_staff_choices', {}],
      ['audit_integrity_status', {}],
      ['integrity_alerts_to_show', {}],
      ['verify_audit_chain', {}],
      ['acknowledge_integrity_alert', { alertId: 'a-1', comment: 'Restored from backup.' }],
      ['export_audit_csv', { filter, sort, suggestedName: 'audit.csv' }],
      ['export_audit_pdf', { filter, sort, offsetMinutes: 60, suggestedName: 'audit.pdf' }],
      ['patient_access_report', { patientId: 'p-1', from: 'from', to: 'to', offsetMinutes: -300, suggestedName: 'report.pdf' }],
      ['audit_patient_by_mrn', { mrn: '1000009' }],
    ]);
  });

  it('reject with a CommandError naming the field', async () => {
    const tooMany = { code: 'invalid_input', message: 'A PDF holds at most 5000 entries.', field: 'filter' };
    bridge.mockRejectedValueOnce(tooMany);
    await expect(exportAuditPdf(filter, sort, 0, '/tmp/a.pdf')).rejects.toEqual(tooMany);
  });
});
