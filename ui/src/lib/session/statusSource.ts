// Where the app's status comes from: the first screen takes the status asked as the page started
// (`main.ts`), and every later status is asked anew, since the status changes (a lock, a
// sign-out, a session Rust's timer ended).
import type { AppStatus } from '../../generated/bindings';

/**
 * Gives `first` to the first caller and asks with `ask` for every later one, whichever call
 * comes first: a status changed in Rust never shows the status of the start.
 */
export function statusSource(first: Promise<AppStatus>, ask: () => Promise<AppStatus>): () => Promise<AppStatus> {
  let unused: Promise<AppStatus> | null = first;
  return () => {
    const next = unused ?? ask();
    unused = null;
    return next;
  };
}
