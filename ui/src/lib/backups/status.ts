// What the Owner's home says about backups: the last verified backup and how long ago, and a
// warning when it is overdue (older than 48 hours, or none) or the folder cannot be reached.
import type { BackupStatusView } from '../../generated/bindings';
import { formatAge, formatWhen } from './format';

export interface StatusWords {
  /** Whether the home shows it as a warning. */
  warning: boolean;
  /** "Last verified backup: 25 Nov 2026, 18:30 (3 hours ago)" or "No verified backup yet". */
  headline: string;
  /** What is wrong and what to do, one sentence each; empty when all is well. */
  problems: string[];
}

export function statusWords(status: BackupStatusView, now: Date = new Date(), locale?: string): StatusWords {
  const last = status.lastVerified;
  const headline =
    last === null
      ? 'No verified backup yet'
      : `Last verified backup: ${formatWhen(last.createdAt, locale)} (${formatAge(last.createdAt, now)})`;
  const problems: string[] = [];
  if (status.destination === null && last === null) {
    problems.push('Choose a folder for backups and make the first one: without a backup, a failed PC loses the practice.');
    return { warning: true, headline, problems };
  }
  if (status.destination === null) {
    problems.push('No folder is chosen for backups: choose one under Backups.');
  } else if (!status.destinationReachable) {
    problems.push(`The backup folder cannot be reached (${status.destination}): connect the drive or check the share.`);
  }
  if (status.overdue) {
    problems.push(
      last === null
        ? 'Make the first backup now, and keep making them: without one, a failed PC loses the practice.'
        : 'That is more than 48 hours ago: back up now.',
    );
  }
  return { warning: status.overdue || !status.destinationReachable, headline, problems };
}
