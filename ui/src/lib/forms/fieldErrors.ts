// Puts each message of a CommandError next to the form field it names: every entry of `fields`
// when Rust found several wrong fields, otherwise the one `field`. Rust names fields in
// snake_case ("owner_full_name", "address.postal_code") or camelCase ("lastCharacters"), and
// sometimes by a shorter name than the form uses ("password" for the owner's password), so a
// form may list other names for each of its fields. What names no field of the form is `rest`,
// shown above the buttons. This is the only place that matches Rust's field names to a form's.
import type { CommandError } from '../../generated/bindings';

/** "owner_full_name", "ownerFullName" and "owner-full-name" all become "ownerfullname"; dots stay. */
export function normaliseFieldName(field: string): string {
  return field
    .split('.')
    .map((part) => part.replace(/[\s_-]+/g, '').toLowerCase())
    .join('.');
}

/** A form's fields: their names alone, or each with the other names Rust may give it. */
export type FormFields<K extends string> = readonly K[] | Readonly<Record<K, readonly string[]>>;

export interface PlacedErrors<K extends string> {
  /** The message for each field of the form that has one (several for one field, together). */
  byField: Partial<Record<K, string>>;
  /** The messages about no field of the form, joined; null when there are none. */
  rest: string | null;
}

function namesOf<K extends string>(fields: FormFields<K>): Map<string, K> {
  const names = new Map<string, K>();
  const entries: [K, readonly string[]][] = Array.isArray(fields)
    ? (fields as readonly K[]).map((key) => [key, []])
    : (Object.entries(fields) as [K, readonly string[]][]);
  for (const [key, others] of entries) {
    for (const name of [key, ...others]) {
      names.set(normaliseFieldName(name), key);
    }
  }
  return names;
}

/** Each message of `error` under the field of the form it names, the rest for the whole form. */
export function placeErrors<K extends string>(error: CommandError, fields: FormFields<K>): PlacedErrors<K> {
  const names = namesOf(fields);
  const listed =
    error.fields && error.fields.length > 0 ? error.fields : [{ field: error.field ?? '', message: error.message }];
  const byField: Partial<Record<K, string>> = {};
  const rest: string[] = [];
  for (const { field, message } of listed) {
    const key = field === '' ? undefined : names.get(normaliseFieldName(field));
    if (key !== undefined) {
      const before = byField[key];
      byField[key] = before === undefined || before === message ? message : `${before} ${message}`;
    } else if (!rest.includes(message)) {
      rest.push(message);
    }
  }
  return { byField, rest: rest.length > 0 ? rest.join(' ') : null };
}

/** The first field of `order` with a message, to put focus on; null when none has one. */
export function firstFieldInError<K extends string>(byField: Partial<Record<K, string>>, order: readonly K[]): K | null {
  return order.find((key) => byField[key] !== undefined) ?? null;
}
