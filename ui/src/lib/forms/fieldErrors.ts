// Puts a CommandError next to the form field it names. The Rust side names fields in either
// snake_case ("owner_full_name") or camelCase ("lastCharacters"), and sometimes by a shorter
// name than the form uses ("password" for the owner's password), so each form lists the names
// that belong to each of its fields.
import type { CommandError } from '../../generated/bindings';

/** "owner_full_name", "ownerFullName" and "owner-full-name" all become "ownerfullname". */
export function normaliseFieldName(field: string): string {
  return field.replace(/[\s_-]+/g, '').toLowerCase();
}

/**
 * Which of the form's fields the error belongs to, or null when it names none of them.
 * `fields` maps each field of the form to the names the Rust side may use for it.
 */
export function fieldOfError<K extends string>(
  error: CommandError,
  fields: Readonly<Record<K, readonly string[]>>,
): K | null {
  if (error.field === null) {
    return null;
  }
  const wanted = normaliseFieldName(error.field);
  for (const key of Object.keys(fields) as K[]) {
    if (normaliseFieldName(key) === wanted || fields[key].some((name) => normaliseFieldName(name) === wanted)) {
      return key;
    }
  }
  return null;
}
