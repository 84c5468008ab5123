import { describe, expect, it } from 'vitest';
import type { AmendmentRequestView, DisclosureView } from '../../generated/bindings';
import { amendmentItemLabel, decisionLabel, disclosureChains, mayDecide } from './records';

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

function request(item: string, decision: string | null = null): AmendmentRequestView {
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
