import { describe, expect, it } from 'vitest';
import type { BackupRecordView, BackupVerificationView } from '../../generated/bindings';
import {
  backupPath,
  checkRows,
  countOf,
  dateAndTime,
  fileNameOf,
  formatAge,
  formatBytes,
  formatWhen,
  recordVerification,
  triggerLabel,
} from './format';

describe('formatBytes', () => {
  it('counts in decimal units with about three significant digits', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1000)).toBe('1 kB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(1_250_000_000)).toBe('1.25 GB');
    expect(formatBytes(456_700_000)).toBe('457 MB');
  });

  it('shows a dash for what is not a size', () => {
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('times', () => {
  const now = new Date('2026-11-25T18:00:00Z');

  it('say how long ago in minutes, hours up to two days, then days', () => {
    expect(formatAge('2026-11-25T17:59:40Z', now)).toBe('just now');
    expect(formatAge('2026-11-25T18:00:30Z', now)).toBe('just now');
    expect(formatAge('2026-11-25T17:59:00Z', now)).toBe('1 minute ago');
    expect(formatAge('2026-11-25T17:15:00Z', now)).toBe('45 minutes ago');
    expect(formatAge('2026-11-25T17:00:00Z', now)).toBe('1 hour ago');
    expect(formatAge('2026-11-24T06:00:00Z', now)).toBe('36 hours ago');
    expect(formatAge('2026-11-23T18:00:00Z', now)).toBe('2 days ago');
    expect(formatAge('2026-11-15T12:00:00Z', now)).toBe('10 days ago');
    expect(formatAge('not a time', now)).toBe('');
  });

  it('show a stored instant on the local clock, or as stored when it does not read', () => {
    const shown = formatWhen('2026-11-25T17:30:00.000Z', 'en-GB');
    expect(shown).toContain('2026');
    expect(shown).toMatch(/\d\d:\d\d/);
    expect(formatWhen('garbled')).toBe('garbled');
  });

  it('give date and time apart for a narrow column', () => {
    const { date, time } = dateAndTime('2026-11-25T17:30:00.000Z', 'en-GB');
    expect(date).toContain('2026');
    expect(time).toMatch(/^\d\d:\d\d$/);
    expect(dateAndTime('garbled')).toEqual({ date: 'garbled', time: '' });
  });
});

describe('listed backups', () => {
  const record = (verificationPassed: boolean | null): BackupRecordView => ({
    id: 'b-1',
    fileName: 'chartkeep-backup-2026-11-25T173000Z.ckbackup',
    folder: '/media/usb/backups',
    createdAt: '2026-11-25T17:30:00.000Z',
    createdBy: 'Olu Owner (owner)',
    trigger: 'manual',
    bytes: 1_000_000,
    verifiedAt: null,
    verificationPassed,
    verificationProblems: [],
    removedAt: null,
  });

  it('name why each was made', () => {
    expect(triggerLabel('manual')).toBe('By hand');
    expect(triggerLabel('daily')).toBe('Daily');
    expect(triggerLabel('log_off')).toBe('On sign-out');
    expect(triggerLabel('command_line')).toBe('Command line');
  });

  it('read verification as passed, failed or not verified', () => {
    expect(recordVerification(record(true))).toBe('passed');
    expect(recordVerification(record(false))).toBe('failed');
    expect(recordVerification(record(null))).toBe('not_verified');
  });

  it('join folder and file name with the folder\u2019s own separator', () => {
    expect(backupPath('/media/usb/backups', 'b.ckbackup')).toBe('/media/usb/backups/b.ckbackup');
    expect(backupPath('/media/usb/backups/', 'b.ckbackup')).toBe('/media/usb/backups/b.ckbackup');
    expect(backupPath('/', 'b.ckbackup')).toBe('/b.ckbackup');
    expect(backupPath('E:\\Backups', 'b.ckbackup')).toBe('E:\\Backups\\b.ckbackup');
    expect(backupPath('\\\\server\\share\\', 'b.ckbackup')).toBe('\\\\server\\share\\b.ckbackup');
  });

  it('name a chosen file by its last part', () => {
    expect(fileNameOf('/media/usb/b.ckbackup')).toBe('b.ckbackup');
    expect(fileNameOf('E:\\Backups\\b.ckbackup')).toBe('b.ckbackup');
    expect(fileNameOf('b.ckbackup')).toBe('b.ckbackup');
  });

  it('count with one and many', () => {
    expect(countOf(1, 'patient', 'patients')).toBe('1 patient');
    expect(countOf(1204, 'patient', 'patients')).toBe('1,204 patients');
    expect(countOf(0, 'user', 'users')).toBe('0 users');
  });
});

describe('checkRows', () => {
  it('lists all seven checks in order, those after a failure as not reached', () => {
    const verification: BackupVerificationView = {
      passed: false,
      createdAt: '2026-11-25T17:30:00.000Z',
      checks: [
        { check: 'opens', passed: true, detail: 'The file opens with the practice\u2019s key.' },
        { check: 'manifest', passed: true, detail: 'The manifest is authentic.' },
        { check: 'contents', passed: false, detail: 'The backup is damaged: a chunk does not authenticate.' },
      ],
    };
    const rows = checkRows(verification);
    expect(rows.map((row) => [row.check, row.state])).toEqual([
      ['opens', 'passed'],
      ['manifest', 'passed'],
      ['contents', 'failed'],
      ['pages', 'not_reached'],
      ['structure', 'not_reached'],
      ['audit_chain', 'not_reached'],
      ['row_counts', 'not_reached'],
    ]);
    expect(rows[2].detail).toBe('The backup is damaged: a chunk does not authenticate.');
    expect(rows[2].label).toBe('Contents match the manifest');
  });

  it('shows the recipients check after the manifest when the practice ran it', () => {
    const rows = checkRows({
      passed: false,
      createdAt: null,
      checks: [
        { check: 'opens', passed: true, detail: 'Opens.' },
        { check: 'manifest', passed: true, detail: 'Authentic.' },
        { check: 'recipients', passed: false, detail: 'It is sealed to other keys than the practice\u2019s database records.' },
      ],
    });
    expect(rows.map((row) => [row.check, row.state]).slice(0, 4)).toEqual([
      ['opens', 'passed'],
      ['manifest', 'passed'],
      ['recipients', 'failed'],
      ['contents', 'not_reached'],
    ]);
  });
});
