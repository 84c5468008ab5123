// Disclosures and amendment requests as plain data: corrections kept beside what they correct,
// amendment items in words, who may decide a request, the chart's items and signed notes a
// request can name, how accepting it changes the record, and what an accepted one changed.
import type {
  AmendmentRequestView,
  ChartItemView,
  DisclosureView,
  EncounterView,
  OpenedChartView,
  Permission,
} from '../../generated/bindings';
import type { DateOrder } from '../api/frontDesk';
import { KIND_WORDS, type ListKind, itemTitle, severityLabel, statusLabel } from '../chart/items';
import { encounterKindLabel, notePreview } from '../chart/notes';
import { formatDate, formatInstant } from '../patients/format';

/**
 * Disclosures as chains: each original followed by its corrections in order (a correction can
 * itself be corrected). Chains are newest first by the date of the original disclosure.
 */
export function disclosureChains(disclosures: readonly DisclosureView[]): DisclosureView[][] {
  const byId = new Map(disclosures.map((disclosure) => [disclosure.id, disclosure]));
  const correctionOf = new Map<string, DisclosureView>();
  for (const disclosure of disclosures) {
    if (disclosure.correctsId !== null && byId.has(disclosure.correctsId)) {
      correctionOf.set(disclosure.correctsId, disclosure);
    }
  }
  const heads = disclosures.filter((disclosure) => disclosure.correctsId === null || !byId.has(disclosure.correctsId));
  const chains = heads.map((head) => {
    const chain = [head];
    let next = correctionOf.get(head.id);
    while (next !== undefined && !chain.includes(next)) {
      chain.push(next);
      next = correctionOf.get(next.id);
    }
    return chain;
  });
  const key = (chain: DisclosureView[]) => `${chain[0].disclosedOn} ${chain[0].recordedAt}`;
  return chains.sort((a, b) => key(b).localeCompare(key(a)));
}

export const AMENDMENT_ITEMS = [
  { value: 'demographics', label: 'Demographics (name, address, contact details)' },
  { value: 'allergy', label: 'An allergy' },
  { value: 'medication', label: 'A medication' },
  { value: 'problem', label: 'A problem or diagnosis' },
  { value: 'note', label: 'A clinical note' },
  { value: 'other', label: 'Something else' },
] as const;

const SHORT_ITEM_LABELS: Record<string, string> = {
  demographics: 'Demographics',
  allergy: 'Allergy',
  medication: 'Medication',
  problem: 'Problem',
  note: 'Clinical note',
  other: 'Other',
};

export function amendmentItemLabel(item: string): string {
  return SHORT_ITEM_LABELS[item] ?? item;
}

/** Deciding a request takes the permission to change what it is about (as Rust checks). */
export function mayDecide(request: AmendmentRequestView, permissions: readonly Permission[]): boolean {
  if (request.decision !== null) {
    return false;
  }
  const needed: Permission = request.item === 'demographics' || request.item === 'other' ? 'write_demographics' : 'write_chart';
  return permissions.includes(needed);
}

export function decisionLabel(decision: string | null): string {
  switch (decision) {
    case 'accepted':
      return 'Accepted';
    case 'denied':
      return 'Denied';
    default:
      return 'Waiting for a decision';
  }
}

/** The chart list a request is about (allergy, medication, problem), or null. */
export function chartKindOf(item: string): ListKind | null {
  return item === 'allergy' || item === 'medication' || item === 'problem' ? item : null;
}

/** Whether a request is about something in the chart: an item or a signed note. */
export function isAboutChart(item: string): boolean {
  return chartKindOf(item) !== null || item === 'note';
}

/**
 * Whether the one recording a request can name which item or note it is about: only those who
 * may read the chart (the front desk says it in the request's text, and a clinician picks it
 * when deciding).
 */
export function mayNameChartItem(item: string, permissions: readonly Permission[]): boolean {
  return isAboutChart(item) && permissions.includes('read_chart');
}

/**
 * What accepting a request does, as the core does it: a new version of the item, an addendum
 * under the signed note, the decision and then the patient's details to correct (demographics),
 * or the decision alone (anything else).
 */
export type AcceptMode = 'item' | 'note' | 'details' | 'decision';

export function acceptMode(item: string): AcceptMode {
  if (chartKindOf(item) !== null) {
    return 'item';
  }
  if (item === 'note') {
    return 'note';
  }
  return item === 'demographics' ? 'details' : 'decision';
}

/** The words of the decide dialog's button, for what deciding does. */
export function decideLabel(accepting: boolean, mode: AcceptMode): string {
  if (!accepting) {
    return 'Record the decision';
  }
  switch (mode) {
    case 'item':
      return 'Accept and save the new version';
    case 'note':
      return 'Accept and add the addendum';
    case 'details':
      return 'Accept, then correct the details';
    default:
      return 'Record the decision';
  }
}

/** The items of a list that an amendment can change ("No known allergies" is no allergy to correct). */
export function amendableItems(chart: OpenedChartView, kind: ListKind): ChartItemView[] {
  const items = kind === 'allergy' ? chart.allergies : kind === 'medication' ? chart.medications : chart.problems;
  return items.filter((item) => item.form.kind === kind);
}

/** The signed notes of the chart (only a signed note is amended, by an addendum), newest first. */
export function signedNotes(chart: OpenedChartView): EncounterView[] {
  return chart.encounters.filter((encounter) => encounter.signed).sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
}

/** An item in one line for a list of choices: "Penicillin · Severe · Inactive". */
export function itemChoiceLabel(item: ChartItemView): string {
  const parts = [itemTitle(item.form)];
  if (item.form.kind === 'allergy' && item.form.severity !== null) {
    parts.push(severityLabel(item.form.severity));
  }
  if (item.form.status !== 'active') {
    parts.push(statusLabel(item.form));
  }
  return parts.join(' · ');
}

/** A signed note in one line: "25/11/2026 10:42 · Visit · Cleo Clinician". */
export function noteTitle(encounter: EncounterView, order: DateOrder): string {
  return [formatInstant(encounter.occurredAt, order), encounterKindLabel(encounter.kind), encounter.authorName].join(' · ');
}

/** A signed note in one line for a list of choices, with the start of what it says. */
export function noteChoiceLabel(encounter: EncounterView, order: DateOrder): string {
  const preview = notePreview(encounter.note, 60);
  return preview === '' ? noteTitle(encounter, order) : `${noteTitle(encounter, order)} · ${preview}`;
}

export interface Choice {
  value: string;
  label: string;
}

/** The items or signed notes of the chart a request about `item` can name, as choices. */
export function chartChoices(chart: OpenedChartView, item: string, order: DateOrder): Choice[] {
  const kind = chartKindOf(item);
  if (kind !== null) {
    return amendableItems(chart, kind).map((entry) => ({ value: entry.id, label: itemChoiceLabel(entry) }));
  }
  if (item === 'note') {
    return signedNotes(chart).map((encounter) => ({ value: encounter.id, label: noteChoiceLabel(encounter, order) }));
  }
  return [];
}

/** "Which allergy", "Which note": the label of the choice of what a request is about. */
export function whichLabel(item: string): string {
  return `Which ${chartKindOf(item) ?? 'note'}`;
}

/** What the chart lacks when a request could name nothing: "allergies", "signed notes". */
export function noneToName(item: string): string {
  const kind = chartKindOf(item);
  return kind === null ? 'signed notes' : KIND_WORDS[kind].plural.toLowerCase();
}

/** The choice of what a request names, kept only while it is still one of `choices`. */
export function keptChoice(current: string, choices: readonly Choice[]): string {
  return choices.some((choice) => choice.value === current) ? current : '';
}

/** What a request names in the chart, in words, or null when it names nothing the chart shows. */
export function namedInChart(request: AmendmentRequestView, chart: OpenedChartView, order: DateOrder): string | null {
  if (request.itemId === null) {
    return null;
  }
  const kind = chartKindOf(request.item);
  if (kind !== null) {
    const item = amendableItems(chart, kind).find((entry) => entry.id === request.itemId);
    return item === undefined ? null : itemChoiceLabel(item);
  }
  if (request.item === 'note') {
    const encounter = chart.encounters.find((entry) => entry.id === request.itemId);
    return encounter === undefined ? null : `Note of ${noteTitle(encounter, order)}`;
  }
  return null;
}

/** What an accepted request changed in the chart, when the chart at hand shows it. */
export type Applied =
  | { type: 'item'; item: ChartItemView }
  | { type: 'note'; encounter: EncounterView; addendumId: string };

export function appliedInChart(request: AmendmentRequestView, chart: OpenedChartView): Applied | null {
  const applied = request.appliedItemId;
  if (request.decision !== 'accepted' || applied === null) {
    return null;
  }
  const kind = chartKindOf(request.item);
  if (kind !== null) {
    const item = amendableItems(chart, kind).find((entry) => entry.id === applied);
    return item === undefined ? null : { type: 'item', item };
  }
  if (request.item === 'note') {
    const encounter = chart.encounters.find((entry) => entry.addenda.some((addendum) => addendum.id === applied));
    return encounter === undefined ? null : { type: 'note', encounter, addendumId: applied };
  }
  return null;
}

/** What an accepted request changed, in words, for those who do not see the chart. */
export function appliedText(request: AmendmentRequestView): string | null {
  if (request.decision !== 'accepted' || request.appliedItemId === null) {
    return null;
  }
  return request.item === 'note'
    ? 'Amended in the chart: an addendum under the note, linked to this request.'
    : `Amended in the chart: a new version of the ${amendmentItemLabel(request.item).toLowerCase()}, linked to this request.`;
}

/**
 * The request a version or an addendum was made for, in words: "the patient's amendment request
 * received 20/11/2026", when the request is at hand; otherwise "the patient's amendment request".
 */
export function requestReference(
  requestId: string,
  requests: readonly AmendmentRequestView[],
  order: DateOrder,
): string {
  const request = requests.find((entry) => entry.id === requestId);
  return request === undefined
    ? "the patient's amendment request"
    : `the patient's amendment request received ${formatDate(request.receivedOn, order)}`;
}
