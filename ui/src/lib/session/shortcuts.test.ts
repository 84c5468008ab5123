import { describe, expect, it } from 'vitest';
import { isLockShortcut, type KeyPress } from './shortcuts';

function press(overrides: Partial<KeyPress>): KeyPress {
  return { key: 'l', code: 'KeyL', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...overrides };
}

describe('isLockShortcut', () => {
  it('is Ctrl+L, whatever the case of the letter', () => {
    expect(isLockShortcut(press({ ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(press({ ctrlKey: true, key: 'L' }))).toBe(true);
  });

  it('is Cmd+L on a Mac', () => {
    expect(isLockShortcut(press({ metaKey: true }))).toBe(true);
  });

  it('matches the physical L key on other layouts', () => {
    expect(isLockShortcut(press({ ctrlKey: true, key: 'д' }))).toBe(true);
  });

  it('is not L alone, nor with Alt or Shift, nor another key', () => {
    expect(isLockShortcut(press({}))).toBe(false);
    expect(isLockShortcut(press({ ctrlKey: true, altKey: true }))).toBe(false);
    expect(isLockShortcut(press({ ctrlKey: true, shiftKey: true, key: 'L' }))).toBe(false);
    expect(isLockShortcut(press({ ctrlKey: true, key: 'k', code: 'KeyK' }))).toBe(false);
  });
});
