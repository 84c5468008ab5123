// Marks the moment the first screen a person can use (not "Opening Chartkeep…") has been
// painted, once: `performance.mark('first-screen')` in a task after the frame that shows it.
// `chartkeep-admin bench startup` reads the mark; the hello-world it is compared with sets the
// same one the same way.
let marked = false;

export function markFirstScreen(): void {
  if (marked) {
    return;
  }
  marked = true;
  requestAnimationFrame(() => setTimeout(() => performance.mark('first-screen'), 0));
}
