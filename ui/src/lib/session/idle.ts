// The idle timer of a signed-in screen. Rust is the authority on the timeout; the UI only
// warns and then asks Rust. Activity is sent at most every TOUCH_INTERVAL_MS, and the timer
// counts from the last activity *sent*, so the UI never believes in more time than Rust does.

export const TOUCH_INTERVAL_MS = 10_000;
export const WARNING_MS = 30_000;
/** How long after Rust's timeout the UI asks, so Rust has certainly run out by then. */
export const GRACE_MS = 1_000;

export interface IdleCallbacks {
  /** Send activity to Rust. */
  touch: () => void;
  /** Show (or update) the warning: whole seconds left. */
  warn: (secondsLeft: number) => void;
  /** Hide the warning. */
  clear: () => void;
  /** The timeout passed: drop the screen and ask Rust. */
  expire: () => void;
}

export interface IdleTimer {
  /** Input from the person at the screen. */
  activity: () => void;
  stop: () => void;
}

export function startIdleTimer(timeoutMs: number, callbacks: IdleCallbacks, now: () => number = Date.now): IdleTimer {
  let lastSent = now();
  let warning = false;
  let stopped = false;

  const tick = setInterval(() => {
    if (stopped) {
      return;
    }
    const left = lastSent + timeoutMs - now();
    if (left + GRACE_MS <= 0) {
      stopped = true;
      clearInterval(tick);
      callbacks.expire();
    } else if (left <= WARNING_MS) {
      warning = true;
      callbacks.warn(Math.max(0, Math.ceil(left / 1000)));
    }
  }, 250);

  function send() {
    lastSent = now();
    callbacks.touch();
  }

  return {
    activity() {
      if (stopped) {
        return;
      }
      if (warning) {
        warning = false;
        callbacks.clear();
        send();
      } else if (now() - lastSent >= TOUCH_INTERVAL_MS) {
        send();
      }
    },
    stop() {
      stopped = true;
      clearInterval(tick);
    },
  };
}
