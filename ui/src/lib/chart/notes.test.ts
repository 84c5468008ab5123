import { describe, expect, it } from 'vitest';
import type { EncounterView } from '../../generated/bindings';
import {
  asEncounterKind,
  bannerOf,
  emptyNote,
  encounterKindLabel,
  encounterInstant,
  latestEncounters,
  localDayAndTime,
  noteIsEmpty,
  notePreview,
  sameNote,
  summaryEncounters,
  typedTime,
  withEncounter,
} from './notes';

function encounterAt(id: string, occurredAt: string): EncounterView {
  return {
    id,
    patientId: 'p-1',
    authorId: 'u-1',
    authorName: 'Cleo Clinician',
    occurredAt,
    kind: 'visit',
    signed: false,
    note: emptyNote(),
    updatedAt: occurredAt,
    signedByName: null,
    signedAt: null,
    addenda: [],
  };
}

describe('encounters and notes', () => {
  it('name the kinds of encounter, anything unknown as other', () => {
    expect(encounterKindLabel('telehealth')).toBe('Telehealth');
    expect(asEncounterKind('phone')).toBe('phone');
    expect(asEncounterKind('house call')).toBe('other');
  });

  it('preview the assessment, or the first part written, in one line', () => {
    expect(notePreview({ ...emptyNote(), subjective: 'Cough', assessment: 'Viral\nbronchitis' })).toBe('Viral bronchitis');
    expect(notePreview({ ...emptyNote(), plan: 'Review in a week' })).toBe('Review in a week');
    expect(notePreview({ ...emptyNote(), subjective: 'a'.repeat(200) }, 20)).toBe(`${'a'.repeat(19)}…`);
    expect(noteIsEmpty({ ...emptyNote(), freeText: '  ' })).toBe(true);
    expect(sameNote(emptyNote(), { ...emptyNote(), plan: 'x' })).toBe(false);
  });

  it('keep the latest 20 encounters, newest first, and put a changed one in its place', () => {
    const many = Array.from({ length: 25 }, (_, index) =>
      encounterAt(`e-${index}`, `2026-11-${String(index + 1).padStart(2, '0')}T09:00:00Z`),
    );
    const latest = latestEncounters(many);
    expect(latest).toHaveLength(20);
    expect(latest[0].id).toBe('e-24');
    const signed = { ...latest[3], signed: true };
    expect(withEncounter(latest, signed)[3].signed).toBe(true);
    const started = encounterAt('new', '2026-11-30T09:00:00Z');
    const added = withEncounter(latest, started);
    expect(added[0].id).toBe('new');
    expect(added).toHaveLength(20);
  });

  it('read a time on the 24-hour clock', () => {
    expect(typedTime('9:05')).toBe('09:05');
    expect(typedTime(' 14.30 ')).toBe('14:30');
    expect(typedTime('23:59')).toBe('23:59');
    expect(typedTime('24:00')).toBeNull();
    expect(typedTime('10:60')).toBeNull();
    expect(typedTime('2 pm')).toBeNull();
  });

  it('turn the typed date and time into an instant, or say which is wrong', () => {
    const at = new Date(2026, 10, 25, 9, 5);
    expect(localDayAndTime(at)).toEqual({ day: '2026-11-25', time: '09:05' });
    expect(encounterInstant('25/11/2026', '09:05', 'dmy')).toEqual({ instant: at.toISOString() });
    expect(encounterInstant('11/25/2026', '9:05', 'mdy')).toEqual({ instant: at.toISOString() });
    expect(encounterInstant('25/11/2026', '09:05', 'mdy')).toEqual({ wrong: 'date' });
    expect(encounterInstant('25/11/2026', 'morning', 'dmy')).toEqual({ wrong: 'time' });
  });

  it('take 0 to 20 encounters into a summary', () => {
    expect(summaryEncounters('5')).toBe(5);
    expect(summaryEncounters(' 20 ')).toBe(20);
    expect(summaryEncounters('0')).toBe(0);
    expect(summaryEncounters('21')).toBeNull();
    expect(summaryEncounters('2.5')).toBeNull();
    expect(summaryEncounters('')).toBeNull();
  });

  it('show severe allergies first in the banner, and say when none are known or none recorded', () => {
    expect(
      bannerOf({
        state: 'allergies',
        allergies: [
          { substance: 'Latex', severity: 'mild' },
          { substance: 'Penicillin', severity: 'severe' },
          { substance: 'Nuts', severity: null },
        ],
      }),
    ).toEqual({
      state: 'allergies',
      lines: [
        { substance: 'Penicillin', severity: 'severe', severe: true },
        { substance: 'Latex', severity: 'mild', severe: false },
        { substance: 'Nuts', severity: null, severe: false },
      ],
    });
    expect(bannerOf({ state: 'no_known_allergies', allergies: [] })).toEqual({ state: 'no_known_allergies' });
    expect(bannerOf({ state: 'not_recorded', allergies: [] })).toEqual({ state: 'not_recorded' });
  });
});
