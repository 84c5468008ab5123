import { describe, expect, it } from 'vitest';
import type { BackupRecordView, BackupStatusView } from '../../generated/bindings';
import { statusWords } from './status';

const now = new Date('2026-11-25T18:00:00Z');

function record(createdAt: string): BackupRecordView {
  return {
    id: 'b-1',
    fileName: 'chartkeep-backup.ckbackup',
    folder: '/media/usb/backups',
    createdAt,
    createdBy: 'Olu Owner (owner)',
    trigger: 'daily',
    bytes: 1_000_000,
    verifiedAt: createdAt,
    verificationPassed: true,
    verificationProblems: [],
    removedAt: null,
  };
}

function status(overrides: Partial<BackupStatusView>): BackupStatusView {
  return {
    lastVerified: record('2026-11-25T15:00:00Z'),
    overdue: false,
    destination: '/media/usb/backups',
    destinationReachable: true,
    ...overrides,
  };
}

describe('the home screen\u2019s backup status', () => {
  it('says when the last verified backup was, calmly, when all is well', () => {
    const words = statusWords(status({}), now);
    expect(words.warning).toBe(false);
    expect(words.headline).toMatch(/^Last verified backup: .*2026.* \(3 hours ago\)$/);
    expect(words.problems).toEqual([]);
  });

  it('warns when the last verified backup is overdue', () => {
    const words = statusWords(status({ lastVerified: record('2026-11-22T18:00:00Z'), overdue: true }), now);
    expect(words.warning).toBe(true);
    expect(words.headline).toContain('(3 days ago)');
    expect(words.problems).toEqual(['That is more than 48 hours ago: back up now.']);
  });

  it('warns when there is none, nor a folder', () => {
    const words = statusWords(
      status({ lastVerified: null, overdue: true, destination: null, destinationReachable: false }),
      now,
    );
    expect(words.warning).toBe(true);
    expect(words.headline).toBe('No verified backup yet');
    expect(words.problems).toEqual([
      'Choose a folder for backups and make the first one: without a backup, a failed PC loses the practice.',
    ]);
  });

  it('warns when there is none yet, with a folder chosen', () => {
    const words = statusWords(status({ lastVerified: null, overdue: true }), now);
    expect(words.warning).toBe(true);
    expect(words.problems).toEqual([
      'Make the first backup now, and keep making them: without one, a failed PC loses the practice.',
    ]);
  });

  it('names a missing folder beside an old backup', () => {
    const words = statusWords(
      status({ lastVerified: record('2026-11-20T18:00:00Z'), overdue: true, destination: null, destinationReachable: false }),
      now,
    );
    expect(words.problems).toEqual([
      'No folder is chosen for backups: choose one under Backups.',
      'That is more than 48 hours ago: back up now.',
    ]);
  });

  it('warns when the folder cannot be reached, even with a recent backup', () => {
    const words = statusWords(status({ destinationReachable: false }), now);
    expect(words.warning).toBe(true);
    expect(words.problems).toEqual([
      'The backup folder cannot be reached (/media/usb/backups): connect the drive or check the share.',
    ]);
  });
});
