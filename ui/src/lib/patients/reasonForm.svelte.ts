// A dialog's form that sends one reason to Rust (a record or chart item entered in error, a
// cancelled appointment): sent once at a time, and a refusal shown under the reason when Rust
// names that field, otherwise above the buttons.
import type { CommandError } from '../../generated/bindings';
import { failure } from './errors';

export class ReasonForm {
  reason = $state('');
  reasonError = $state<string | null>(null);
  formError = $state<string | null>(null);
  busy = $state(false);
  readonly #fieldId: string;
  readonly #fieldName: string;

  /** `fieldId`: the reason field's id, focused when Rust refuses the reason; `fieldName`: Rust's name for it. */
  constructor(fieldId: string, fieldName = 'reason') {
    this.#fieldId = fieldId;
    this.#fieldName = fieldName;
  }

  /**
   * Runs `send` unless a send is under way, with the errors cleared. Returns the error it failed
   * with, once shown; null when it succeeded or did not run.
   */
  async send(send: () => Promise<void>, onrefresh: () => void): Promise<CommandError | null> {
    if (this.busy) {
      return null;
    }
    this.busy = true;
    this.reasonError = null;
    this.formError = null;
    try {
      await send();
      return null;
    } catch (thrown) {
      const error = failure(thrown, onrefresh);
      if (error.field === this.#fieldName) {
        this.reasonError = error.message;
        document.getElementById(this.#fieldId)?.focus();
      } else {
        this.formError = error.message;
      }
      return error;
    } finally {
      this.busy = false;
    }
  }
}
