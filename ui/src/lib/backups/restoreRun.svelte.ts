// A restore under way, for both screens that restore a backup (on this PC, and onto a new PC
// before anyone signs in): its progress from the "backup-progress" events, Cancel, and stopping
// it when the screen is left before the final swap.
import type { BackupProgressView } from '../../generated/bindings';
import { cancelBackup, onBackupProgress } from '../api/backups';
import { asCommandError } from '../api/invoke';
import { whileMounted } from './listen';
import { track, type TrackedProgress } from './progress';

/** What a restore needs from Rust besides the restore itself; a test passes its own. */
export interface RestoreBridge {
  onProgress: (handler: (progress: BackupProgressView) => void) => Promise<() => void>;
  cancel: () => Promise<void>;
}

const RUST: RestoreBridge = { onProgress: onBackupProgress, cancel: cancelBackup };

export class RestoreRun {
  progress = $state.raw<TrackedProgress | null>(null);
  cancelling = $state(false);
  /** Under way: only then do progress events count and Cancel asks Rust to stop. */
  #following = false;
  #left = false;
  readonly #bridge: RestoreBridge;

  constructor(bridge: RestoreBridge = RUST) {
    this.#bridge = bridge;
  }

  /** Follows the progress events while the screen is up: return it from `onMount`. */
  listen(): () => void {
    return whileMounted(() =>
      this.#bridge.onProgress((next) => {
        if (this.#following) {
          this.progress = track(this.progress, next);
        }
      }),
    );
  }

  /** The screen has gone: a restore that has not reached its final swap stops. Call from `onDestroy`. */
  leave(): void {
    this.#left = true;
    if (this.#following) {
      void this.#bridge.cancel().catch(() => undefined);
    }
  }

  /** Whether the screen has gone, so that a restore ending afterwards has nobody to tell. */
  get left(): boolean {
    return this.#left;
  }

  /** Runs the restore, following its progress from nothing until it ends either way. */
  async follow<T>(restore: () => Promise<T>): Promise<T> {
    this.progress = null;
    this.cancelling = false;
    this.#following = true;
    try {
      return await restore();
    } finally {
      this.#following = false;
      this.cancelling = false;
    }
  }

  /** Cancel is offered until the copy is checked: the final swap that follows cannot be stopped. */
  get cancellable(): boolean {
    const progress = this.progress;
    return progress === null || progress.step !== 'checking' || progress.done < progress.total;
  }

  /** Asks Rust to stop the restore; the message when it could not, to show above the buttons. */
  async cancel(): Promise<string | null> {
    if (!this.#following || this.cancelling) {
      return null;
    }
    this.cancelling = true;
    try {
      await this.#bridge.cancel();
      return null;
    } catch (thrown) {
      this.cancelling = false;
      return asCommandError(thrown).message;
    }
  }
}
