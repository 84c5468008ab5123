/** The parts of a keyboard event the shortcuts look at. */
export type KeyPress = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/**
 * Ctrl+L (Cmd+L on a Mac) locks the app. Matched on the key or, for keyboard layouts whose L key
 * types another letter, on the physical key. With Alt or Shift held it is something else.
 */
export function isLockShortcut(event: KeyPress): boolean {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
    return false;
  }
  return event.key.toLowerCase() === 'l' || event.code === 'KeyL';
}
