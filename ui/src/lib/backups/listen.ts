// Listening to an event for as long as a component is on screen. Setting up a listener takes a
// round trip to Rust; a component that goes before it is set up must still stop it.

/**
 * Starts listening and returns the function that stops, at once or as soon as the listener is
 * set up: return it from `onMount`.
 */
export function whileMounted(start: () => Promise<() => void>): () => void {
  let stop: (() => void) | null = null;
  let gone = false;
  start()
    .then((stopListening) => {
      if (gone) {
        stopListening();
      } else {
        stop = stopListening;
      }
    })
    .catch(() => {
      // Without the listener the work still runs; only its progress is not shown.
    });
  return () => {
    gone = true;
    stop?.();
  };
}
