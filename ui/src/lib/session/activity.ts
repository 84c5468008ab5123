// Activity the idle guard has just sent to Rust. Rust counts every command a session runs as
// activity, so background work that must call Rust (the daily backup's tick) goes right after
// one of these: then it never keeps a session open longer than the person at the screen did.

type Listener = () => void;

const listeners = new Set<Listener>();

/** Called by the idle guard once Rust has taken the activity in. */
export function activitySent(): void {
  for (const listener of [...listeners]) {
    listener();
  }
}

/** Calls `listener` after each activity sent; returns the way to stop. */
export function onActivitySent(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
