// Marks the moment the first screen a person can use (not "Opening Chartkeep…") has been
// painted, once: `performance.mark('first-screen')` in a task after the frame that shows it, then
// runs `afterwards` (loading what the first screen did not need). `chartkeep-admin bench startup`
// reads the marks; the hello-world it is compared with sets `first-screen` the same way.
import { tick } from 'svelte';

let marked = false;

export function markFirstScreen(afterwards: () => void): void {
  if (marked) {
    return;
  }
  marked = true;
  performance.mark('first-screen-requested');
  void tick().then(() => performance.mark('first-screen-in-dom'));
  requestAnimationFrame(() => {
    performance.mark('first-screen-frame');
    setTimeout(() => {
      performance.mark('first-screen');
      afterwards();
    }, 0);
  });
}
