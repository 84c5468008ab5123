// The check or the import under way: which one, its progress, Cancel, and how it ended. Only one
// runs at a time; Cancel stops it in Rust, and then nothing is imported (said as a notice).
import type { ImportProgressView } from '../../generated/bindings';
import { cancelImport, onImportProgress } from '../api/frontDesk';

export type RunKind = 'check' | 'import';

const STOPPED: Record<RunKind, string> = {
  check: 'The check was stopped. Nothing was imported.',
  import: 'The import was stopped. Nothing was imported.',
};

export class ImportRun {
  running: RunKind | null = $state(null);
  progress: ImportProgressView | null = $state.raw(null);
  cancelling = $state(false);
  error: string | null = $state(null);
  /** The last run was stopped with Cancel: said as a notice, not as an error. */
  stopped = $state(false);
  readonly #message: (thrown: unknown) => string;

  /** `message`: what to say about a failure (taken through the app context). */
  constructor(message: (thrown: unknown) => string) {
    this.#message = message;
  }

  /** Follows the progress events while `running`; resolves with the way to stop. */
  listen(): Promise<() => void> {
    return onImportProgress((next) => {
      if (this.running !== null) {
        this.progress = next;
      }
    });
  }

  /** Runs `work` unless a run is under way; resolves with its value, or null when it failed or did not run. */
  async run<T>(kind: RunKind, work: () => Promise<T>): Promise<T | null> {
    if (this.running !== null) {
      return null;
    }
    this.error = null;
    this.progress = null;
    this.running = kind;
    try {
      return await work();
    } catch (thrown) {
      this.stopped = this.cancelling;
      this.error = this.cancelling ? STOPPED[kind] : this.#message(thrown);
      return null;
    } finally {
      this.running = null;
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.running === null || this.cancelling) {
      return;
    }
    this.cancelling = true;
    try {
      await cancelImport();
    } catch (thrown) {
      this.cancelling = false;
      this.error = this.#message(thrown);
    }
  }

  /** Leaving the view stops a run under way: nothing is imported then. */
  leave(): void {
    if (this.running !== null) {
      void cancelImport().catch(() => undefined);
    }
  }
}
