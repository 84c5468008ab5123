// Disclosures and amendment requests as plain data: corrections kept beside what they correct,
// amendment items in words, and who may decide a request.
import type { AmendmentRequestView, DisclosureView, Permission } from '../../generated/bindings';

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
