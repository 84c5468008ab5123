// How far a backup, a verification or a restore has got, from the "backup-progress" events.
// Rust reports bytes done of the current step's total and the time since the work started; a
// step's rate and time left are worked out here from when that step began.
import type { BackupProgressView, BackupStep } from '../../generated/bindings';
import { formatBytes } from './format';

/** The steps each kind of work goes through, in order. */
export const BACKUP_STEPS: readonly BackupStep[] = ['snapshot', 'writing', 'reading', 'checking'];
export const VERIFY_STEPS: readonly BackupStep[] = ['reading', 'checking'];
export const RESTORE_STEPS: readonly BackupStep[] = ['reading', 'checking'];
export const ROTATION_STEPS: readonly BackupStep[] = ['reencrypting'];

const STEP_WORDS: Record<BackupStep, string> = {
  snapshot: 'Copying the database',
  writing: 'Encrypting and writing the backup',
  reading: 'Decrypting the backup',
  checking: 'Checking the copy',
  reencrypting: 'Re-encrypting the practice database under a new key',
};

export function stepWords(step: BackupStep): string {
  return STEP_WORDS[step] ?? step;
}

/** The latest report, and when (in the work's time) its step began. */
export interface TrackedProgress {
  step: BackupStep;
  done: number;
  total: number;
  elapsedMs: number;
  stepStartedMs: number;
}

/**
 * Takes in the next report. A new step starts its clock where the last report of the one
 * before left off, so its rate counts only its own bytes.
 */
export function track(previous: TrackedProgress | null, next: BackupProgressView): TrackedProgress {
  const sameStep = previous !== null && previous.step === next.step && next.done >= previous.done;
  const stepStartedMs = sameStep ? previous.stepStartedMs : previous === null ? 0 : Math.min(previous.elapsedMs, next.elapsedMs);
  return { step: next.step, done: next.done, total: next.total, elapsedMs: next.elapsedMs, stepStartedMs };
}

/** Below this much time in a step, its rate is not worth showing (it jumps about). */
const MIN_MEASURED_MS = 300;

export interface ProgressFigures {
  /** 0 to 100, of the current step. */
  percent: number;
  /** Bytes per second in this step; null until measurable. */
  rate: number | null;
  /** Seconds left in this step at that rate; null when unknown. */
  secondsLeft: number | null;
}

export function figuresOf(progress: TrackedProgress | null): ProgressFigures {
  if (progress === null || progress.total <= 0) {
    return { percent: 0, rate: null, secondsLeft: null };
  }
  const done = Math.min(progress.done, progress.total);
  const percent = Math.round((done / progress.total) * 100);
  const spentMs = progress.elapsedMs - progress.stepStartedMs;
  if (done <= 0 || spentMs < MIN_MEASURED_MS) {
    return { percent, rate: null, secondsLeft: null };
  }
  const rate = (done / spentMs) * 1000;
  return { percent, rate, secondsLeft: (progress.total - done) / rate };
}

/** "about 8 seconds", "about 3 minutes", "about 1 hour 5 minutes"; "a moment" under a second. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 1) {
    return 'a moment';
  }
  if (seconds < 60) {
    const whole = Math.ceil(seconds);
    return whole === 1 ? 'about 1 second' : `about ${whole} seconds`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return minutes === 1 ? 'about 1 minute' : `about ${minutes} minutes`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const hourText = hours === 1 ? '1 hour' : `${hours} hours`;
  return rest === 0 ? `about ${hourText}` : `about ${hourText} ${rest === 1 ? '1 minute' : `${rest} minutes`}`;
}

/** "35.2 MB/s". */
export function formatRate(bytesPerSecond: number, locale?: string): string {
  return `${formatBytes(bytesPerSecond, locale)}/s`;
}

/** "Step 2 of 4", when the step is one of `steps`. */
export function stepCounter(progress: TrackedProgress | null, steps: readonly BackupStep[]): string | null {
  if (progress === null) {
    return null;
  }
  const index = steps.indexOf(progress.step);
  return index < 0 ? null : `Step ${index + 1} of ${steps.length}`;
}

/**
 * The figures in words: "120 MB of 400 MB · 35.2 MB/s · about 8 seconds left". The check step
 * reports only its start and end, so it reads "Under way…" in between.
 */
export function detailWords(progress: TrackedProgress | null, locale?: string): string {
  if (progress === null) {
    return 'Starting…';
  }
  if (progress.step === 'checking' && progress.done < progress.total) {
    return `Checking ${formatBytes(progress.total, locale)}…`;
  }
  const figures = figuresOf(progress);
  const parts = [`${formatBytes(Math.min(progress.done, progress.total), locale)} of ${formatBytes(progress.total, locale)}`];
  // The check step has no steady flow of bytes: a rate there would mean nothing.
  if (figures.rate !== null && progress.step !== 'checking') {
    parts.push(formatRate(figures.rate, locale));
  }
  if (figures.secondsLeft !== null && progress.done < progress.total) {
    parts.push(`${formatDuration(figures.secondsLeft)} left`);
  }
  return parts.join(' · ');
}
