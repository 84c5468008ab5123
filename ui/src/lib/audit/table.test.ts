import { describe, expect, it } from 'vitest';
import { ariaSort, DEFAULT_SORT, formatCount, hasNextPage, pageLabel, previousOffset, toggleSort } from './table';

describe('toggleSort', () => {
  it('turns the same column around', () => {
    expect(toggleSort(DEFAULT_SORT, 'entry')).toEqual({ column: 'entry', descending: false });
    expect(toggleSort({ column: 'user', descending: false }, 'user')).toEqual({ column: 'user', descending: true });
  });

  it('starts another column newest first for times, A to Z for words', () => {
    expect(toggleSort(DEFAULT_SORT, 'time')).toEqual({ column: 'time', descending: true });
    expect(toggleSort(DEFAULT_SORT, 'user')).toEqual({ column: 'user', descending: false });
    expect(toggleSort({ column: 'time', descending: false }, 'entry')).toEqual({ column: 'entry', descending: true });
    expect(toggleSort(DEFAULT_SORT, 'emergency')).toEqual({ column: 'emergency', descending: true });
  });
});

describe('ariaSort', () => {
  it('marks only the sorted column, with its direction', () => {
    expect(ariaSort(DEFAULT_SORT, 'entry')).toBe('descending');
    expect(ariaSort({ column: 'action', descending: false }, 'action')).toBe('ascending');
    expect(ariaSort(DEFAULT_SORT, 'time')).toBe('none');
  });
});

describe('pageLabel', () => {
  it('names the entries shown and how many match', () => {
    expect(pageLabel(0, 100, 1234, false)).toBe('Entries 1–100 of 1,234');
    expect(pageLabel(1200, 34, 1234, false)).toBe('Entries 1,201–1,234 of 1,234');
    expect(pageLabel(0, 5, 5, false)).toBe('Entries 1–5 of 5');
    expect(pageLabel(0, 1, 1, false)).toBe('Entry 1 of 1');
  });

  it('says "more than" when counting stopped', () => {
    expect(pageLabel(100, 100, 100000, true)).toBe('Entries 101–200 of more than 100,000');
  });

  it('says plainly when nothing matches', () => {
    expect(pageLabel(0, 0, 0, false)).toBe('No entries match these filters.');
    expect(pageLabel(300, 0, 250, false)).toBe('No more entries.');
  });
});

describe('paging', () => {
  it('offers a next page while entries remain', () => {
    expect(hasNextPage(0, 100, 1234, false)).toBe(true);
    expect(hasNextPage(1200, 34, 1234, false)).toBe(false);
    expect(hasNextPage(0, 100, 100, false)).toBe(false);
    expect(hasNextPage(99900, 100, 100000, true)).toBe(true);
    expect(hasNextPage(200000, 40, 100000, true)).toBe(false);
  });

  it('goes back a page, never before the first', () => {
    expect(previousOffset(200)).toBe(100);
    expect(previousOffset(50)).toBe(0);
  });

  it('groups thousands', () => {
    expect(formatCount(123456)).toBe('123,456');
  });
});
