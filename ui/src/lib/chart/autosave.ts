// Autosave of a draft note: a save a moment after typing stops, at once when asked (leaving a
// field, signing, closing), never two saves at the same time, and the latest text always saved
// last. What is saved goes to Rust (the encrypted database); nothing is kept anywhere else.

export type AutosaveState =
  | { kind: 'idle' }
  | { kind: 'waiting' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'failed'; message: string; code: string };

export interface AutosaveOptions<T> {
  /** Saves a value; resolves with the time it was saved (RFC 3339), rejects on failure. */
  save: (value: T) => Promise<string>;
  /** How long after the last change to save. */
  delayMs: number;
  onstate: (state: AutosaveState) => void;
  /** Turns what a failed save threw into a message and a code. */
  describe: (thrown: unknown) => { message: string; code: string };
}

export class Autosaver<T> {
  private latest: T | null = null;
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<boolean> | null = null;
  private stopped = false;

  constructor(private readonly options: AutosaveOptions<T>) {}

  /** The value changed: save it once typing has paused. */
  changed(value: T): void {
    if (this.stopped) {
      return;
    }
    this.latest = value;
    this.dirty = true;
    clearTimeout(this.timer);
    this.options.onstate({ kind: 'waiting' });
    this.timer = setTimeout(() => void this.flush(), this.options.delayMs);
  }

  /** Whether a change has not reached Rust yet. */
  get pending(): boolean {
    return this.dirty || this.running !== null;
  }

  /**
   * Saves now if anything changed (after a save already under way). Resolves with true when
   * everything typed is saved, false when a save failed.
   */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    while (this.running !== null) {
      await this.running;
    }
    if (!this.dirty || this.latest === null) {
      return true;
    }
    const value = this.latest;
    this.dirty = false;
    const running = this.run(value);
    this.running = running;
    const saved = await running;
    this.running = null;
    // Typed meanwhile: save that too (a pending timer would, but a flush means now).
    return saved && this.dirty ? this.flush() : saved;
  }

  private async run(value: T): Promise<boolean> {
    this.options.onstate({ kind: 'saving' });
    try {
      const at = await this.options.save(value);
      if (!this.dirty) {
        this.options.onstate({ kind: 'saved', at });
      }
      return true;
    } catch (thrown) {
      // Kept as changed, so the next change or flush tries again.
      this.dirty = true;
      this.options.onstate({ kind: 'failed', ...this.options.describe(thrown) });
      return false;
    }
  }

  /** No more saves after this (the draft was signed or discarded); a pending timer is dropped. */
  stop(): void {
    this.stopped = true;
    this.dirty = false;
    clearTimeout(this.timer);
  }
}
