// The plain parts of the search box: only the answer to the latest question is shown, typing
// is debounced, the arrow keys move through the results, and a line says what to type next.

/** Hands out numbered turns; only the answer to the latest turn is shown. */
export class Latest {
  private turn = 0;

  /** Starts a new turn: every earlier one is stale from now on. */
  next(): number {
    this.turn += 1;
    return this.turn;
  }

  isCurrent(turn: number): boolean {
    return turn === this.turn;
  }

  /** Makes every turn handed out so far stale (the query was cleared, the screen went away). */
  cancel(): void {
    this.turn += 1;
  }
}

export interface Debounced<A extends unknown[]> {
  call: (...args: A) => void;
  /** Forgets a pending call. */
  cancel: () => void;
}

/** Calls `run` once `milliseconds` have passed without another call. */
export function debounce<A extends unknown[]>(run: (...args: A) => void, milliseconds: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call: (...args: A) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        run(...args);
      }, milliseconds);
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * The result that becomes active after an arrow key: down from none is the first, up from none
 * the last; it stops at either end. -1 when there are no results.
 */
export function moveActive(active: number, key: 'ArrowDown' | 'ArrowUp' | 'Home' | 'End', count: number): number {
  if (count <= 0) {
    return -1;
  }
  switch (key) {
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'ArrowDown':
      return active < 0 ? 0 : Math.min(active + 1, count - 1);
    case 'ArrowUp':
      return active < 0 ? count - 1 : Math.max(active - 1, 0);
  }
}

/**
 * The line under the search box: what to type next when the query cannot be read yet, or that
 * nothing matched. Null when the results say it all.
 */
export function searchHint(kind: string, query: string, count: number): string | null {
  const trimmed = query.trim();
  if (trimmed === '' || kind === 'empty') {
    return null;
  }
  if (kind === 'incomplete') {
    return /^[\d\s+()./-]+$/.test(trimmed)
      ? 'Keep typing: a phone number or MRN needs at least 5 digits, a date of birth day, month and year.'
      : 'Keep typing: more of a name, or a whole date of birth.';
  }
  return count === 0 ? 'No patient found.' : null;
}
