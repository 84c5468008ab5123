import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from './capabilities';

describe('capabilitiesOf', () => {
  it('lists what the Owner can do, administration first', () => {
    const list = capabilitiesOf(['own_account', 'review_emergency_access', 'manage_settings', 'manage_users', 'view_audit']);
    expect(list).toHaveLength(5);
    expect(list[0]).toContain('under Users');
    expect(list[1]).toContain('under Settings');
    expect(list[1]).toContain('importing and co-signing notes for each role');
    expect(list[2]).toContain('under Audit');
    expect(list[4]).toContain('under My account');
  });

  it('lists only the own account for a role without administration', () => {
    const list = capabilitiesOf(['own_account', 'read_demographics', 'write_demographics', 'manage_appointments']);
    expect(list).toEqual(['Change your password and set up two-step sign-in, under My account.']);
  });

  it('lists the audit view for the Auditor', () => {
    const list = capabilitiesOf(['own_account', 'view_audit']);
    expect(list).toHaveLength(2);
    expect(list[0]).toContain('under Audit');
  });

  it('lists the Owner\'s patient-record tools after the audit view, under the Records button', () => {
    const list = capabilitiesOf(['own_account', 'view_audit', 'review_entered_in_error', 'merge_patients', 'import_patients']);
    expect(list.map((text) => text.slice(text.lastIndexOf('under ')))).toEqual([
      'under Audit.',
      'under Records › Import.',
      'under Records › Duplicates.',
      'under Records › Entered in error.',
      'under My account.',
    ]);
  });

  it('names a patient-record tool by itself when it is the only one, as the toolbar shows it', () => {
    const list = capabilitiesOf(['own_account', 'import_patients']);
    expect(list[0]).toMatch(/, under Import\.$/);
  });

  it('lists backups after the patient-record tools, for those who manage them only', () => {
    const list = capabilitiesOf(['own_account', 'review_entered_in_error', 'manage_backups', 'run_scheduled_backup']);
    expect(list.map((text) => text.slice(text.lastIndexOf('under ')))).toEqual([
      'under Entered in error.',
      'under Backups.',
      'under My account.',
    ]);
    expect(capabilitiesOf(['own_account', 'run_scheduled_backup'])).toHaveLength(1);
  });

  it('lists nothing for no permissions', () => {
    expect(capabilitiesOf([])).toEqual([]);
  });
});
