// Display and checking helpers for the recovery key (`AGE-SECRET-KEY-1…`, 74 characters).

export const RECOVERY_KEY_PREFIX = 'AGE-SECRET-KEY-1';

/** How many characters of the key the owner types back to show it was written down. */
export const CONFIRM_CHARACTERS = 6;

/**
 * Splits the key for reading: the `AGE-SECRET-KEY-1` prefix stays whole as the first group and
 * the rest is cut into groups of 4 (the last group may be shorter). Joining the groups gives
 * the key back exactly. A key without the prefix is cut into groups of 4 from the start.
 */
export function groupRecoveryKey(key: string): string[] {
  const groups: string[] = [];
  let rest = key;
  if (key.startsWith(RECOVERY_KEY_PREFIX)) {
    groups.push(RECOVERY_KEY_PREFIX);
    rest = key.slice(RECOVERY_KEY_PREFIX.length);
  }
  for (let start = 0; start < rest.length; start += 4) {
    groups.push(rest.slice(start, start + 4));
  }
  return groups;
}

/**
 * The characters as the owner typed them, made comparable: white space (around them, or between
 * groups copied from the grouped display) removed and letters upper-cased, as the key is written.
 */
export function normaliseTypedCharacters(typed: string): string {
  return typed.replace(/\s+/g, '').toUpperCase();
}

/**
 * Whether `typed` is the last characters of the key (6 by default), ignoring case and white space.
 * An empty key never matches.
 */
export function lastCharactersMatch(key: string, typed: string, count: number = CONFIRM_CHARACTERS): boolean {
  const compactKey = normaliseTypedCharacters(key);
  if (compactKey.length < count || count <= 0) {
    return false;
  }
  return normaliseTypedCharacters(typed) === compactKey.slice(-count);
}
