import { describe, expect, it } from 'vitest';
import type { BackupProgressView } from '../../generated/bindings';
import {
  BACKUP_STEPS,
  detailWords,
  figuresOf,
  formatDuration,
  stepCounter,
  stepWords,
  track,
  type TrackedProgress,
} from './progress';

const MB = 1_000_000;

function feed(events: BackupProgressView[]): TrackedProgress | null {
  return events.reduce<TrackedProgress | null>((previous, next) => track(previous, next), null);
}

describe('backup progress', () => {
  it('names each step in words', () => {
    expect(BACKUP_STEPS.map(stepWords)).toEqual([
      'Copying the database',
      'Encrypting and writing the backup',
      'Decrypting the backup',
      'Checking the copy',
    ]);
  });

  it('measures a step\u2019s rate from when that step began, not from the start of the work', () => {
    const tracked = feed([
      { step: 'snapshot', done: 50 * MB, total: 100 * MB, elapsedMs: 1000 },
      { step: 'snapshot', done: 100 * MB, total: 100 * MB, elapsedMs: 2000 },
      { step: 'writing', done: 0, total: 100 * MB, elapsedMs: 2100 },
      { step: 'writing', done: 25 * MB, total: 100 * MB, elapsedMs: 3000 },
    ]);
    expect(tracked?.stepStartedMs).toBe(2000);
    const figures = figuresOf(tracked);
    expect(figures.percent).toBe(25);
    expect(figures.rate).toBe(25 * MB);
    expect(figures.secondsLeft).toBe(3);
    expect(detailWords(tracked, 'en')).toBe('25 MB of 100 MB · 25 MB/s · about 3 seconds left');
    expect(stepCounter(tracked, BACKUP_STEPS)).toBe('Step 2 of 4');
  });

  it('gives the first step its clock from the start of the work', () => {
    const tracked = feed([{ step: 'reading', done: 10 * MB, total: 40 * MB, elapsedMs: 2000 }]);
    expect(figuresOf(tracked)).toEqual({ percent: 25, rate: 5 * MB, secondsLeft: 6 });
  });

  it('shows no rate before a step has run long enough to measure, nor for nothing done', () => {
    const early = feed([
      { step: 'snapshot', done: 100, total: 100, elapsedMs: 900 },
      { step: 'writing', done: 10, total: 100, elapsedMs: 1000 },
    ]);
    expect(figuresOf(early)).toEqual({ percent: 10, rate: null, secondsLeft: null });
    expect(figuresOf(null)).toEqual({ percent: 0, rate: null, secondsLeft: null });
    expect(figuresOf(feed([{ step: 'writing', done: 0, total: 0, elapsedMs: 5000 }])).percent).toBe(0);
    expect(detailWords(null)).toBe('Starting…');
  });

  it('reads the check step, which reports only its start and end, as under way', () => {
    const checking = feed([{ step: 'checking', done: 0, total: 8 * MB, elapsedMs: 4000 }]);
    expect(detailWords(checking, 'en')).toBe('Checking 8 MB…');
    const done = feed([
      { step: 'checking', done: 0, total: 8 * MB, elapsedMs: 4000 },
      { step: 'checking', done: 8 * MB, total: 8 * MB, elapsedMs: 4400 },
    ]);
    expect(detailWords(done, 'en')).toBe('8 MB of 8 MB');
    expect(stepCounter(done, ['reading', 'checking'])).toBe('Step 2 of 2');
    expect(stepCounter(done, ['snapshot'])).toBeNull();
  });

  it('says how long is left in plain words', () => {
    expect(formatDuration(0.4)).toBe('a moment');
    expect(formatDuration(1)).toBe('about 1 second');
    expect(formatDuration(7.2)).toBe('about 8 seconds');
    expect(formatDuration(89)).toBe('about 1 minute');
    expect(formatDuration(150)).toBe('about 3 minutes');
    expect(formatDuration(3600)).toBe('about 1 hour');
    expect(formatDuration(3900)).toBe('about 1 hour 5 minutes');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('a moment');
  });
});
