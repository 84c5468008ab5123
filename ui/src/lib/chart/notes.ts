// Encounters and their notes as the chart shows them: the kinds in words, the parts of a SOAP
// note, a short preview for the list, the allergy banner's lines, and the few conversions the
// forms need (the encounter's date, typed in the practice's order, and time; how many
// encounters a summary takes).
import type { AllergyBannerView, AllergySeverity, EncounterView, SoapNoteView } from '../../generated/bindings';
import type { EncounterKind } from '../api/chart';
import type { DateOrder } from '../api/frontDesk';
import { typedDay } from '../forms/typedDate';

export const ENCOUNTER_KINDS: readonly { value: EncounterKind; label: string }[] = [
  { value: 'visit', label: 'Visit' },
  { value: 'phone', label: 'Phone' },
  { value: 'telehealth', label: 'Telehealth' },
  { value: 'other', label: 'Other' },
];

export function encounterKindLabel(kind: string): string {
  return ENCOUNTER_KINDS.find((choice) => choice.value === kind)?.label ?? kind;
}

export function asEncounterKind(kind: string): EncounterKind {
  return ENCOUNTER_KINDS.find((choice) => choice.value === kind)?.value ?? 'other';
}

export const SOAP_PARTS: readonly { key: keyof SoapNoteView; label: string; hint: string }[] = [
  { key: 'subjective', label: 'Subjective', hint: 'What the patient tells: complaint, history, symptoms.' },
  { key: 'objective', label: 'Objective', hint: 'What you found: examination, measurements, results.' },
  { key: 'assessment', label: 'Assessment', hint: 'Your impression or diagnosis.' },
  { key: 'plan', label: 'Plan', hint: 'Treatment, prescriptions, referrals, follow-up.' },
  { key: 'freeText', label: 'Other notes', hint: 'Anything that fits none of the above.' },
];

export function emptyNote(): SoapNoteView {
  return { subjective: '', objective: '', assessment: '', plan: '', freeText: '' };
}

export function sameNote(a: SoapNoteView, b: SoapNoteView): boolean {
  return SOAP_PARTS.every(({ key }) => a[key] === b[key]);
}

export function noteIsEmpty(note: SoapNoteView): boolean {
  return SOAP_PARTS.every(({ key }) => note[key].trim() === '');
}

/** One line for the list: the assessment, or else the first part written, cut at `length`. */
export function notePreview(note: SoapNoteView, length = 110): string {
  const source = [note.assessment, note.subjective, note.plan, note.objective, note.freeText].find(
    (text) => text.trim() !== '',
  );
  const line = (source ?? '').trim().replace(/\s+/g, ' ');
  return line.length > length ? `${line.slice(0, length - 1).trimEnd()}…` : line;
}

/** Newest first, at most `limit` (the chart shows the last 20). */
export function latestEncounters(encounters: readonly EncounterView[], limit = 20): EncounterView[] {
  return [...encounters].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).slice(0, limit);
}

/** Puts `changed` in place of the encounter with its id (or first, when it is new). */
export function withEncounter(encounters: readonly EncounterView[], changed: EncounterView): EncounterView[] {
  const found = encounters.some((entry) => entry.id === changed.id);
  return found
    ? encounters.map((entry) => (entry.id === changed.id ? changed : entry))
    : latestEncounters([changed, ...encounters]);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A time on the 24-hour clock ("9:05", "09:05", "09.05") as "09:05", or null. */
export function typedTime(text: string): string | null {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (match === null) {
    return null;
  }
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours <= 23 && minutes <= 59 ? `${pad(hours)}:${pad(minutes)}` : null;
}

/** A moment's local day, ISO, and time, "HH:MM", on this PC's clock. */
export function localDayAndTime(at: Date): { day: string; time: string } {
  return {
    day: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
  };
}

/**
 * When an encounter took place, from its typed date and time on this PC's clock, as RFC 3339
 * (UTC); or which of the two is not one.
 */
export function encounterInstant(
  dateText: string,
  timeText: string,
  order: DateOrder,
): { instant: string } | { wrong: 'date' | 'time' } {
  const day = typedDay(dateText, order);
  if (day === null) {
    return { wrong: 'date' };
  }
  const time = typedTime(timeText);
  if (time === null) {
    return { wrong: 'time' };
  }
  const [year, month, date] = day.split('-').map(Number);
  const [hours, minutes] = time.split(':').map(Number);
  const at = new Date(year, month - 1, date, hours, minutes);
  at.setFullYear(year);
  return { instant: at.toISOString() };
}

export const SUMMARY_ENCOUNTERS_DEFAULT = 5;
export const SUMMARY_ENCOUNTERS_MAX = 20;

/** How many encounters a summary takes, from what was typed: a whole number 0 to 20, or null. */
export function summaryEncounters(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) {
    return null;
  }
  const count = Number(trimmed);
  return count <= SUMMARY_ENCOUNTERS_MAX ? count : null;
}

export interface BannerLine {
  substance: string;
  severity: AllergySeverity | null;
  severe: boolean;
}

export type Banner =
  | { state: 'allergies'; lines: BannerLine[] }
  | { state: 'no_known_allergies' }
  | { state: 'not_recorded' };

/** The allergy banner as Rust worked it out, severe allergies first (otherwise as recorded). */
export function bannerOf(view: AllergyBannerView): Banner {
  if (view.state === 'allergies' && view.allergies.length > 0) {
    const lines = view.allergies.map((line) => ({ ...line, severe: line.severity === 'severe' }));
    return { state: 'allergies', lines: [...lines.filter((line) => line.severe), ...lines.filter((line) => !line.severe)] };
  }
  return view.state === 'no_known_allergies' ? { state: 'no_known_allergies' } : { state: 'not_recorded' };
}

/** "Saved 1 encounter" style counts in words. */
export function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
