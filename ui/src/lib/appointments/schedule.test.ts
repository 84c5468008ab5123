import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  actionSlug,
  actionsFor,
  actionText,
  appointmentStatusLabel,
  dayBounds,
  nextQuarterHour,
  shiftDay,
  startsAtOf,
  timeOfDay,
  timeRange,
} from './schedule';

describe('days and times', () => {
  beforeEach(() => vi.stubEnv('TZ', 'Europe/Vienna'));
  afterEach(() => vi.unstubAllEnvs());

  it('bounds a local day, 23 hours long on the day the clocks go forward', () => {
    expect(dayBounds('2026-11-25')).toEqual({ from: '2026-11-24T23:00:00.000Z', to: '2026-11-25T23:00:00.000Z' });
    expect(dayBounds('2026-03-29')).toEqual({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
    expect(dayBounds('not a day')).toBeNull();
  });

  it('steps days across months and years', () => {
    expect(shiftDay('2026-11-30', 1)).toBe('2026-12-01');
    expect(shiftDay('2027-01-01', -1)).toBe('2026-12-31');
  });

  it('turns a day and a time of day into an instant and back', () => {
    expect(startsAtOf('2026-11-25', '09:30')).toBe('2026-11-25T08:30:00.000Z');
    expect(startsAtOf('2026-11-25', '9:05')).toBe('2026-11-25T08:05:00.000Z');
    expect(startsAtOf('2026-11-25', '24:00')).toBeNull();
    expect(startsAtOf('', '09:30')).toBeNull();
    expect(timeOfDay('2026-11-25T08:30:00.000Z')).toBe('09:30');
    expect(timeRange('2026-11-25T08:30:00.000Z', 15)).toBe('09:30–09:45');
  });

  it('offers the next quarter hour, never past the last one of the day', () => {
    expect(nextQuarterHour(new Date(2026, 10, 25, 9, 0))).toBe('09:15');
    expect(nextQuarterHour(new Date(2026, 10, 25, 9, 7))).toBe('09:15');
    expect(nextQuarterHour(new Date(2026, 10, 25, 9, 59))).toBe('10:00');
    expect(nextQuarterHour(new Date(2026, 10, 25, 23, 50))).toBe('23:45');
  });
});

describe('appointment statuses', () => {
  it('offers the next steps each status allows, the usual one first', () => {
    const labels = (status: Parameters<typeof actionsFor>[0]) => actionsFor(status).map((action) => action.label);
    expect(labels('booked')).toEqual(['Check in', 'Reschedule', 'No-show', 'Cancel']);
    expect(labels('checked_in')).toEqual(['Start', 'Complete', 'Undo check-in', 'Cancel']);
    expect(labels('in_progress')).toEqual(['Complete']);
    expect(labels('no_show')).toEqual(['Undo no-show']);
    expect(labels('completed')).toEqual([]);
    expect(labels('cancelled')).toEqual([]);
  });

  it('moves only along the allowed transitions', () => {
    const allowed = {
      booked: ['checked_in', 'no_show', 'cancelled'],
      checked_in: ['in_progress', 'completed', 'booked', 'cancelled'],
      in_progress: ['completed'],
      no_show: ['booked'],
      completed: [],
      cancelled: [],
    } as const;
    for (const [status, nexts] of Object.entries(allowed)) {
      const reached = actionsFor(status as keyof typeof allowed).flatMap((action) =>
        action.kind === 'status' ? [action.next] : action.kind === 'cancel' ? ['cancelled'] : [],
      );
      expect(reached.sort()).toEqual([...nexts].sort());
    }
  });

  it('keeps the buttons short where the card says the rest', () => {
    expect(actionsFor('checked_in').map(actionText)).toEqual(['Start', 'Complete', 'Undo', 'Cancel…']);
    expect(actionsFor('booked').map(actionText)).toEqual(['Check in', 'Reschedule…', 'No-show', 'Cancel…']);
  });

  it('names statuses and actions', () => {
    expect(appointmentStatusLabel('checked_in')).toBe('Checked in');
    expect(actionsFor('no_show').map(actionSlug)).toEqual(['undo-no-show']);
    expect(actionsFor('booked').map(actionSlug)).toEqual(['check-in', 'reschedule', 'no-show', 'cancel']);
  });
});
