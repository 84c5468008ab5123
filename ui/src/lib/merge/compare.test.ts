import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PatientFormView, PatientMergeView, PatientRecordView } from '../../generated/bindings';
import { comparisonRows, defaultSurvivor, isActive, mergeSentence, recordLabel } from './compare';

const form = (changes: Partial<PatientFormView>): PatientFormView => ({
  familyName: 'Ortega',
  givenNames: 'José',
  preferredName: '',
  dateOfBirth: '1941-11-23',
  sex: 'male',
  genderIdentity: '',
  phones: [],
  email: '',
  address: { line1: '', line2: '', city: 'Springfield', region: '', postalCode: '', country: '' },
  emergencyContact: { name: '', relationship: '', phone: '' },
  insurance: { payer: '', memberId: '' },
  frontDeskNote: '',
  status: 'active',
  deceasedOn: '',
  ...changes,
});

const record = (id: string, mrn: string, changes: Partial<PatientRecordView> = {}): PatientRecordView => ({
  id,
  mrn,
  version: 1,
  form: form({}),
  age: 84,
  lastVisit: null,
  needsDuplicateReview: false,
  registeredAt: '2026-01-05T10:00:00Z',
  mergedMrns: [],
  reachedThroughAlias: null,
  ...changes,
});

describe('comparisonRows', () => {
  it('lines both records up field by field and marks what differs', () => {
    const left = record('p-1', '1000009', { needsDuplicateReview: true, form: form({ givenNames: 'Jose' }) });
    const right = record('p-2', '1000017');
    const rows = comparisonRows(left, right);
    const byKey = new Map(rows.map((row) => [row.key, row]));
    expect(byKey.get('mrn')).toMatchObject({ left: '1000009', right: '1000017', differs: true });
    expect(byKey.get('given_names')).toMatchObject({ label: 'Given names', left: 'Jose', right: 'José', differs: true });
    expect(byKey.get('family_name')).toMatchObject({ differs: false });
    expect(byKey.get('address')).toMatchObject({ left: 'Springfield', differs: false });
    expect(byKey.get('needs_duplicate_review')).toMatchObject({ left: 'Yes', right: 'No', differs: true });
    expect(byKey.get('last_visit')).toMatchObject({ left: 'None yet' });
  });
});

describe('defaultSurvivor', () => {
  it('keeps the record no import flagged', () => {
    const flagged = record('p-1', '1000009', { needsDuplicateReview: true, registeredAt: '2020-01-01T00:00:00Z' });
    const existing = record('p-2', '1000017', { registeredAt: '2026-01-01T00:00:00Z' });
    expect(defaultSurvivor(flagged, existing)).toBe('p-2');
    expect(defaultSurvivor(existing, flagged)).toBe('p-2');
  });

  it('otherwise keeps the record registered first', () => {
    const older = record('p-1', '1000009', { registeredAt: '2020-01-01T00:00:00Z' });
    const newer = record('p-2', '1000017', { registeredAt: '2026-01-01T00:00:00Z' });
    expect(defaultSurvivor(newer, older)).toBe('p-1');
  });
});

describe('merges in words', () => {
  beforeEach(() => {
    vi.stubEnv('TZ', 'UTC');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const merge: PatientMergeView = {
    id: 'm-1',
    survivorId: 'p-2',
    mergedId: 'p-1',
    mergedBy: 'Dana Demo (owner)',
    mergedAt: '2026-03-07T10:00:00Z',
    unmergedAt: null,
  };

  it('names the records from the point of view of either', () => {
    expect(recordLabel(record('p-2', '1000017'))).toBe('Ortega, José (MRN 1000017)');
    const survivorView = mergeSentence(merge, 'p-2', 'Ortega, José (MRN 1000017)');
    expect(survivorView).toMatch(/^Another record was merged into Ortega, José \(MRN 1000017\) on .*2026.* by Dana Demo \(owner\)\.$/);
    const aliasView = mergeSentence(merge, 'p-1', 'Ortega, Jose (MRN 1000009)');
    expect(aliasView).toMatch(/^Ortega, Jose \(MRN 1000009\) was merged into another record on /);
    const known = mergeSentence(merge, 'p-2', 'A (MRN 1000017)', new Map([['p-1', 'B (MRN 1000009)']]));
    expect(known).toMatch(/^B \(MRN 1000009\) was merged into A \(MRN 1000017\)/);
  });

  it('says when a merge was undone', () => {
    expect(isActive(merge)).toBe(true);
    const undone = { ...merge, unmergedAt: '2026-03-08T10:00:00Z' };
    expect(isActive(undone)).toBe(false);
    expect(mergeSentence(undone, 'p-2', 'A')).toMatch(/ Undone on .*2026\.$/);
  });
});
