import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bannerText, millisecondsLeft, reasonProblem } from './access';

describe('emergency access', () => {
  beforeEach(() => vi.stubEnv('TZ', 'Europe/Vienna'));
  afterEach(() => vi.unstubAllEnvs());

  it('asks for a reason of at least 10 characters', () => {
    expect(reasonProblem('')).toContain('at least 10 characters');
    expect(reasonProblem('  allergy  ')).toContain('at least 10 characters');
    expect(reasonProblem('Ambulance asks for allergies')).toBeNull();
    expect(reasonProblem('x'.repeat(501))).toContain('500');
  });

  it('says in the banner when the access ends, on the local clock', () => {
    expect(bannerText('2026-11-25T09:42:00Z')).toBe('Emergency access — recorded and reviewed — ends at 10:42');
  });

  it('counts down to the end of the access', () => {
    const now = new Date('2026-11-25T09:00:00Z');
    expect(millisecondsLeft('2026-11-25T09:01:00Z', now)).toBe(60_000);
    expect(millisecondsLeft('2026-11-25T08:59:00Z', now)).toBe(0);
    expect(millisecondsLeft('garbage', now)).toBe(0);
  });
});
