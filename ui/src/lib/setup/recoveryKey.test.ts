import { describe, expect, it } from 'vitest';
import { groupRecoveryKey, lastCharactersMatch, normaliseTypedCharacters, RECOVERY_KEY_PREFIX } from './recoveryKey';

// 74 characters, shaped like the keys the Rust side makes.
const KEY = 'AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSAB7XYZ';

describe('groupRecoveryKey', () => {
  it('keeps the prefix whole and cuts the rest into groups of 4', () => {
    const groups = groupRecoveryKey(KEY);
    expect(KEY).toHaveLength(74);
    expect(groups[0]).toBe(RECOVERY_KEY_PREFIX);
    expect(groups.slice(1, -1).every((group) => group.length === 4)).toBe(true);
    expect(groups[groups.length - 1]).toBe('YZ');
    expect(groups).toHaveLength(1 + 15);
  });

  it('gives the key back exactly when joined', () => {
    expect(groupRecoveryKey(KEY).join('')).toBe(KEY);
  });

  it('groups a key without the prefix from the start', () => {
    expect(groupRecoveryKey('ABCDEFGHIJ')).toEqual(['ABCD', 'EFGH', 'IJ']);
  });

  it('gives no groups for an empty key', () => {
    expect(groupRecoveryKey('')).toEqual([]);
  });
});

describe('lastCharactersMatch', () => {
  it('accepts the last 6 characters', () => {
    expect(lastCharactersMatch(KEY, 'AB7XYZ')).toBe(true);
  });

  it('ignores case and surrounding spaces', () => {
    expect(lastCharactersMatch(KEY, '  ab7xyz ')).toBe(true);
    expect(lastCharactersMatch(KEY, '\tAb7XyZ\n')).toBe(true);
  });

  it('ignores a space between groups copied from the grouped display', () => {
    expect(lastCharactersMatch(KEY, 'AB7X YZ')).toBe(true);
  });

  it('rejects other characters, fewer or more characters', () => {
    expect(lastCharactersMatch(KEY, 'AB7XYY')).toBe(false);
    expect(lastCharactersMatch(KEY, '7XYZ')).toBe(false);
    expect(lastCharactersMatch(KEY, 'SAB7XYZ')).toBe(false);
    expect(lastCharactersMatch(KEY, '')).toBe(false);
  });

  it('never matches an empty or too short key', () => {
    expect(lastCharactersMatch('', '')).toBe(false);
    expect(lastCharactersMatch('ABC', 'ABC')).toBe(false);
  });

  it('can check another number of characters', () => {
    expect(lastCharactersMatch(KEY, 'xyz', 3)).toBe(true);
  });
});

describe('normaliseTypedCharacters', () => {
  it('removes white space and upper-cases', () => {
    expect(normaliseTypedCharacters(' ab7x yz ')).toBe('AB7XYZ');
  });
});
