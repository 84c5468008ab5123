import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PatientFormView, PatientMergeView, PatientRecordView, PatientSummaryView } from '../../generated/bindings';
import {
  comparisonRows,
  defaultSurvivor,
  isActive,
  localDay,
  mergedLabel,
  mergeSentence,
  namedRecord,
  recordLabel,
  summaryLabel,
  survivorLabel,
} from './compare';

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
    survivorMrn: '1000017',
    survivorName: 'Ortega, José',
    mergedId: 'p-1',
    mergedMrn: '1000009',
    mergedName: 'Ortega, Jose',
    mergedBy: 'Dana Demo (dana)',
    mergedAt: '2026-03-07T10:00:00Z',
    unmergedBy: null,
    unmergedAt: null,
  };

  it('names both records and who merged them', () => {
    expect(recordLabel(record('p-2', '1000017'))).toBe('Ortega, José (MRN 1000017)');
    expect(mergedLabel(merge)).toBe('Ortega, Jose (MRN 1000009)');
    expect(survivorLabel(merge)).toBe('Ortega, José (MRN 1000017)');
    expect(mergeSentence(merge)).toBe(
      `Ortega, Jose (MRN 1000009) merged into Ortega, José (MRN 1000017) by Dana Demo (dana) on ${localDay(merge.mergedAt)}.`,
    );
    expect(localDay(merge.mergedAt)).toMatch(/2026/);
  });

  it('says when a merge was undone, and by whom', () => {
    expect(isActive(merge)).toBe(true);
    const undone = { ...merge, unmergedBy: 'Olu Owner (olu)', unmergedAt: '2026-03-08T10:00:00Z' };
    expect(isActive(undone)).toBe(false);
    expect(mergeSentence(undone)).toMatch(
      new RegExp(` by Dana Demo \\(dana\\) on [^.]+\\. Undone by Olu Owner \\(olu\\) on ${localDay(undone.unmergedAt)}\\.$`),
    );
    expect(mergeSentence({ ...undone, unmergedBy: null })).toMatch(/\. Undone on [^.]+\.$/);
  });

  it('names a record without given names or MRN as well as it can', () => {
    expect(namedRecord('Ortega, ', '1000009')).toBe('Ortega (MRN 1000009)');
    expect(namedRecord('Ortega, José', '')).toBe('Ortega, José');
  });
});

describe('summaryLabel', () => {
  it('names a patient of the review list', () => {
    const patient: PatientSummaryView = {
      id: 'p-1',
      mrn: '1000009',
      familyName: 'Smyth',
      givenNames: 'Jon',
      preferredName: '',
      dateOfBirth: '1970-01-02',
      age: 56,
      status: 'active',
      lastVisit: null,
      foundThroughAlias: null,
    };
    expect(summaryLabel(patient)).toBe('Smyth, Jon (MRN 1000009)');
  });
});
