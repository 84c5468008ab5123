// The one way a form (or a button that sends a command) keeps its state: busy while its command
// runs, which runs once at a time; Rust's refusal placed under the fields it names (its
// snake_case `field`/`fields` matched to the form's fields, see fieldErrors.ts) with focus on the
// first of them, and the rest above the buttons; and every failure taken through the app
// context, so a session that ended or expired brings up the lock screen.
import { tick } from 'svelte';
import type { CommandError } from '../../generated/bindings';
import { type AppContext, getAppContext } from '../app/context';
import { firstFieldInError, placeErrors } from './fieldErrors';

/** A field of the form: the id of its input, and other names Rust may give the field. */
export interface FieldSpec {
  id: string;
  names?: readonly string[];
}

/** Fields from each one's input id and, where Rust has them, its other names. */
export function fieldsOf<K extends string>(
  ids: Readonly<Record<K, string>>,
  names: Readonly<Partial<Record<K, readonly string[]>>>,
): Record<K, FieldSpec> {
  const fields = {} as Record<K, FieldSpec>;
  for (const key of Object.keys(ids) as K[]) {
    fields[key] = { id: ids[key], names: names[key] ?? [] };
  }
  return fields;
}

export interface FormStateOptions {
  /** Takes failures; the app context's unless given (tests give their own). */
  app?: Pick<AppContext, 'failure'>;
}

/**
 * What to do with a refusal before it is placed: true when it was dealt with (a confirmation
 * to ask, a record to reload), so it is not placed under a field or above the buttons.
 */
export type Refusal = (error: CommandError) => boolean | Promise<boolean>;

export class FormState<K extends string = never> {
  /** A command of this form is under way. */
  busy = $state(false);
  /** The message under each field Rust refused. */
  errors: Partial<Record<K, string>> = $state({});
  /** The message about the whole form, shown above its buttons. */
  formError: string | null = $state(null);

  readonly #fields: Readonly<Record<K, FieldSpec>>;
  readonly #order: readonly K[];
  readonly #app: Pick<AppContext, 'failure'>;

  /**
   * `fields`: each field of the form, in the order it shows them, with its input's id (or a
   * FieldSpec with the other names Rust gives it). Created while a component is created.
   */
  constructor(fields: Readonly<Record<K, FieldSpec | string>> = {} as Record<K, string>, options: FormStateOptions = {}) {
    const specs = {} as Record<K, FieldSpec>;
    for (const [key, spec] of Object.entries(fields) as [K, FieldSpec | string][]) {
      specs[key] = typeof spec === 'string' ? { id: spec } : spec;
    }
    this.#fields = specs;
    this.#order = Object.keys(specs) as K[];
    this.#app = options.app ?? getAppContext();
  }

  /** The message under `field`, or null. */
  error(field: K): string | null {
    return this.errors[field] ?? null;
  }

  clear(): void {
    this.errors = {};
    this.formError = null;
  }

  /**
   * Places a refusal as a failed submit does (also for checks the UI makes itself, like a
   * typed date) and focuses the first field in error.
   */
  async show(error: CommandError): Promise<void> {
    const names = {} as Record<K, readonly string[]>;
    for (const key of this.#order) {
      names[key] = this.#fields[key].names ?? [];
    }
    const placed = placeErrors(error, names);
    this.errors = placed.byField;
    this.formError = placed.rest;
    const first = firstFieldInError(placed.byField, this.#order);
    if (first !== null) {
      await focusInput(this.#fields[first].id);
    }
  }

  /** A failure of a command sent otherwise (a list read): through the app context, then shown. */
  async fail(thrown: unknown): Promise<CommandError> {
    const error = this.#app.failure(thrown);
    await this.show(error);
    return error;
  }

  /** A check the UI made itself, shown under `field` as Rust's refusal would be, and focused. */
  async refuse(field: K, message: string): Promise<void> {
    await this.show({ code: 'invalid_input', message, field });
  }

  /**
   * Runs `send` unless a command of this form is under way, with the errors cleared. A failure
   * goes through the app context, then to `refusal`, then under its fields or above the
   * buttons. Resolves with the error it failed with; null when it succeeded or did not run.
   */
  async submit(send: () => Promise<unknown>, refusal?: Refusal): Promise<CommandError | null> {
    if (this.busy) {
      return null;
    }
    this.busy = true;
    this.clear();
    let error: CommandError;
    try {
      await send();
      return null;
    } catch (thrown) {
      error = this.#app.failure(thrown);
    } finally {
      this.busy = false;
    }
    if (!(refusal !== undefined && (await refusal(error)))) {
      await this.show(error);
    }
    return error;
  }
}

/** Focuses an input once the DOM shows its error, scrolled so its label and message stay in view. */
async function focusInput(id: string): Promise<void> {
  await tick();
  const element = document.getElementById(id);
  element?.focus({ preventScroll: true });
  element?.scrollIntoView?.({ block: 'center' });
}
