import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChainCheckView } from '../../generated/bindings';
import { defaultFileName, integrityLine, savedLine, verificationLine } from './integrity';

const now = new Date('2026-11-25T15:00:00Z');

function check(overrides: Partial<ChainCheckView>): ChainCheckView {
  return { checkedAt: '2026-11-25T09:42:00Z', scope: 'since_anchor', verifiedThrough: 123456, intact: true, ...overrides };
}

describe('integrityLine', () => {
  beforeEach(() => {
    vi.stubEnv('TZ', 'Europe/Berlin');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('says how far the chain was verified, when, and how', () => {
    expect(integrityLine(check({}), now, 'en-GB')).toBe('Chain verified up to entry 123,456 at 10:42 (checked at sign-in)');
    expect(integrityLine(check({ scope: 'whole_chain' }), now, 'en-GB')).toContain('(checked at sign-in)');
    expect(integrityLine(check({ scope: 'full', checkedAt: '2026-11-24T09:42:00Z' }), now, 'en-GB')).toBe(
      'Chain verified up to entry 123,456 at 24 Nov 2026, 10:42 (full verification)',
    );
  });

  it('says plainly when nothing was verified or a fault was found', () => {
    expect(integrityLine(null, now)).toBe('The audit trail has not been verified yet.');
    expect(integrityLine(check({ verifiedThrough: null }), now)).toBe('The audit trail is empty.');
    expect(integrityLine(check({ intact: false }), now, 'en-GB')).toBe(
      'The last verification, at 10:42, found a fault. Verify integrity to check the whole trail now.',
    );
  });
});

describe('verificationLine', () => {
  it('counts the entries of an intact chain', () => {
    expect(verificationLine({ intact: true, entries: 1234, firstBadEntry: null, description: 'ok' })).toBe(
      'All 1,234 entries verified.',
    );
  });

  it('gives the description naming the first bad entry of a broken chain', () => {
    const description = 'Entry 17 was altered or forged.';
    expect(verificationLine({ intact: false, entries: 0, firstBadEntry: 17, description })).toBe(description);
  });
});

describe('files', () => {
  it('offers a dated name and confirms what was saved', () => {
    vi.stubEnv('TZ', 'Europe/Berlin');
    expect(defaultFileName('audit', 'csv', new Date('2026-11-24T23:30:00Z'))).toBe('audit-2026-11-25.csv');
    vi.unstubAllEnvs();
    expect(savedLine(1234)).toBe('Saved 1,234 entries.');
    expect(savedLine(1)).toBe('Saved 1 entry.');
    expect(savedLine(0)).toBe('Saved 0 entries.');
  });
});
