import { describe, expect, it } from 'vitest';
import type {
  AmendmentItem,
  AmendmentOutcome,
  AmendmentRequestView,
  ChartItemView,
  DisclosureView,
  EncounterView,
  ItemFormView,
  OpenedChartView,
} from '../../generated/bindings';
import { emptyForm } from '../chart/items';
import { emptyNote } from '../chart/notes';
import {
  acceptMode,
  decideLabel,
  amendableItems,
  amendmentItemLabel,
  appliedInChart,
  appliedText,
  chartChoices,
  chartKindOf,
  decisionLabel,
  disclosureChains,
  isAboutChart,
  itemChoiceLabel,
  keptChoice,
  mayDecide,
  mayNameChartItem,
  namedInChart,
  noneToName,
  noteTitle,
  requestReference,
  signedNotes,
  whichLabel,
} from './records';

function disclosure(id: string, disclosedOn: string, correctsId: string | null = null): DisclosureView {
  return {
    id,
    disclosedOn,
    recipient: `Recipient ${id}`,
    purpose: 'Claim',
    information: 'Diagnosis codes',
    correctsId,
    correctionReason: correctsId === null ? null : 'Wrong recipient',
    corrected: false,
    recordedBy: 'Dee Desk (desk)',
    recordedAt: `${disclosedOn}T10:00:00Z`,
  };
}

function request(item: AmendmentItem, decision: AmendmentOutcome | null = null): AmendmentRequestView {
  return {
    id: 'r-1',
    receivedOn: '2026-11-20',
    item,
    itemId: null,
    requestedChange: 'Spell the name Müller',
    recordedBy: 'Dee Desk (desk)',
    recordedAt: '2026-11-20T10:00:00Z',
    decision,
    decisionReason: null,
    decidedBy: null,
    decidedAt: null,
    appliedItemId: null,
  };
}

describe('disclosureChains', () => {
  it('keeps each correction beside what it corrects, newest disclosure first', () => {
    const chains = disclosureChains([
      disclosure('a', '2026-10-01'),
      disclosure('b', '2026-11-01'),
      disclosure('a2', '2026-10-01', 'a'),
      disclosure('a3', '2026-10-02', 'a2'),
    ]);
    expect(chains.map((chain) => chain.map((entry) => entry.id))).toEqual([['b'], ['a', 'a2', 'a3']]);
  });

  it('shows a correction on its own when what it corrects is not in the list', () => {
    expect(disclosureChains([disclosure('x', '2026-10-01', 'gone')]).map((chain) => chain.length)).toEqual([1]);
    expect(disclosureChains([])).toEqual([]);
  });
});

describe('amendment requests', () => {
  it('may be decided by those who may change the item, once', () => {
    expect(mayDecide(request('demographics'), ['write_demographics'])).toBe(true);
    expect(mayDecide(request('other'), ['write_demographics'])).toBe(true);
    expect(mayDecide(request('allergy'), ['write_demographics'])).toBe(false);
    expect(mayDecide(request('note'), ['write_chart'])).toBe(true);
    expect(mayDecide(request('demographics', 'accepted'), ['write_demographics'])).toBe(false);
  });

  it('name items and decisions in words', () => {
    expect(amendmentItemLabel('problem')).toBe('Problem');
    expect(decisionLabel(null)).toBe('Waiting for a decision');
    expect(decisionLabel('denied')).toBe('Denied');
  });
});

function item(id: string, changes: Partial<ItemFormView>, version = 1): ChartItemView {
  const form = { ...emptyForm(changes.kind ?? 'allergy'), ...changes };
  return { id, version, form, recordedAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T10:00:00Z' };
}

function encounter(id: string, occurredAt: string, signed: boolean, addendumIds: string[] = []): EncounterView {
  return {
    id,
    patientId: 'p-1',
    authorId: 'u-1',
    authorName: 'Cleo Clinician',
    occurredAt,
    kind: 'visit',
    signed,
    note: { ...emptyNote(), assessment: `Assessment ${id}` },
    updatedAt: occurredAt,
    signedByName: signed ? 'Cleo Clinician' : null,
    signedAt: signed ? occurredAt : null,
    addenda: addendumIds.map((addendumId) => ({
      id: addendumId,
      authorName: 'Cleo Clinician',
      writtenAt: occurredAt,
      text: 'Corrected',
      amendmentRequestId: 'r-1',
    })),
  };
}

const penicillin = item('a-1', { substance: 'Penicillin', severity: 'severe' }, 2);
const chart = {
  patientId: 'p-1',
  allergies: [penicillin, item('a-0', { kind: 'no_known_allergies', status: 'inactive' })],
  medications: [item('m-1', { kind: 'medication', name: 'Amoxicillin', status: 'stopped' })],
  problems: [],
  encounters: [
    encounter('e-1', '2026-10-01T12:00:00Z', true, ['ad-1']),
    encounter('e-2', '2026-11-01T12:00:00Z', false),
    encounter('e-3', '2026-11-02T12:00:00Z', true),
  ],
} as unknown as OpenedChartView;

describe('what an amendment request is about', () => {
  it('is an item of a chart list, a note, or something outside the chart', () => {
    expect(chartKindOf('medication')).toBe('medication');
    expect(chartKindOf('note')).toBeNull();
    expect(isAboutChart('note')).toBe(true);
    expect(isAboutChart('demographics')).toBe(false);
    expect(isAboutChart('other')).toBe(false);
  });

  it('is named in the chart only by those who may read it', () => {
    expect(mayNameChartItem('allergy', ['read_chart', 'record_amendment_request'])).toBe(true);
    expect(mayNameChartItem('note', ['read_chart'])).toBe(true);
    expect(mayNameChartItem('allergy', ['read_demographics', 'record_amendment_request'])).toBe(false);
    expect(mayNameChartItem('demographics', ['read_chart'])).toBe(false);
  });

  it('is accepted as the core applies it', () => {
    expect(acceptMode('allergy')).toBe('item');
    expect(acceptMode('problem')).toBe('item');
    expect(acceptMode('note')).toBe('note');
    expect(acceptMode('demographics')).toBe('details');
    expect(acceptMode('other')).toBe('decision');
  });

  it('offers the items of its kind and the signed notes, newest first', () => {
    expect(amendableItems(chart, 'allergy').map((entry) => entry.id)).toEqual(['a-1']);
    expect(signedNotes(chart).map((entry) => entry.id)).toEqual(['e-3', 'e-1']);
    expect(chartChoices(chart, 'allergy', 'dmy')).toEqual([{ value: 'a-1', label: 'Penicillin · Severe' }]);
    expect(chartChoices(chart, 'medication', 'dmy')).toEqual([{ value: 'm-1', label: 'Amoxicillin · Stopped' }]);
    expect(chartChoices(chart, 'problem', 'dmy')).toEqual([]);
    expect(chartChoices(chart, 'demographics', 'dmy')).toEqual([]);
    const notes = chartChoices(chart, 'note', 'dmy');
    expect(notes.map((choice) => choice.value)).toEqual(['e-3', 'e-1']);
    expect(notes[0].label).toContain('02/11/2026');
    expect(notes[0].label).toContain('Visit · Cleo Clinician · Assessment e-3');
    expect(itemChoiceLabel(item('x', { substance: 'Latex' }))).toBe('Latex');
    expect(noteTitle(chart.encounters[0], 'mdy')).toMatch(/^10\/01\/2026 \d\d:\d\d · Visit · Cleo Clinician$/);
  });

  it('keeps a choice only while it is offered, and words the choice', () => {
    const choices = chartChoices(chart, 'allergy', 'dmy');
    expect(keptChoice('a-1', choices)).toBe('a-1');
    expect(keptChoice('gone', choices)).toBe('');
    expect(whichLabel('allergy')).toBe('Which allergy');
    expect(whichLabel('note')).toBe('Which note');
    expect(noneToName('problem')).toBe('problems');
    expect(noneToName('allergy')).toBe('allergies');
    expect(noneToName('note')).toBe('signed notes');
  });

  it('says what a request names and what an accepted one changed', () => {
    const about = { ...request('allergy'), itemId: 'a-1' };
    expect(namedInChart(about, chart, 'dmy')).toBe('Penicillin · Severe');
    expect(namedInChart({ ...about, itemId: 'gone' }, chart, 'dmy')).toBeNull();
    expect(namedInChart(request('allergy'), chart, 'dmy')).toBeNull();
    expect(namedInChart({ ...request('note'), itemId: 'e-1' }, chart, 'dmy')).toMatch(/^Note of 01\/10\/2026/);

    const accepted = { ...request('allergy', 'accepted'), appliedItemId: 'a-1' };
    expect(appliedInChart(accepted, chart)).toEqual({ type: 'item', item: penicillin });
    expect(appliedInChart({ ...accepted, decision: 'denied' }, chart)).toBeNull();
    const note = { ...request('note', 'accepted'), appliedItemId: 'ad-1' };
    expect(appliedInChart(note, chart)).toEqual({ type: 'note', encounter: chart.encounters[0], addendumId: 'ad-1' });
    expect(appliedInChart({ ...note, appliedItemId: 'elsewhere' }, chart)).toBeNull();

    expect(appliedText(accepted)).toBe('Amended in the chart: a new version of the allergy, linked to this request.');
    expect(appliedText(note)).toBe('Amended in the chart: an addendum under the note, linked to this request.');
    expect(appliedText(request('demographics', 'accepted'))).toBeNull();
  });

  it('names the request a version or addendum was made for', () => {
    expect(requestReference('r-1', [request('allergy')], 'dmy')).toBe(
      "the patient's amendment request received 20/11/2026",
    );
    expect(requestReference('r-1', [request('allergy')], 'mdy')).toBe(
      "the patient's amendment request received 11/20/2026",
    );
    expect(requestReference('r-9', [request('allergy')], 'dmy')).toBe("the patient's amendment request");
  });

  it('word the decide button by what deciding does', () => {
    expect(decideLabel(false, 'item')).toBe('Record the decision');
    expect(decideLabel(true, 'item')).toBe('Accept and save the new version');
    expect(decideLabel(true, 'note')).toBe('Accept and add the addendum');
    expect(decideLabel(true, 'details')).toBe('Accept, then correct the details');
    expect(decideLabel(true, 'decision')).toBe('Record the decision');
  });
});
