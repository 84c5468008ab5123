import { tick } from 'svelte';

/** Svelte action: puts keyboard focus on the element when it appears (when `enabled`). */
export function autofocus(node: HTMLElement, enabled: boolean = true): void {
  if (enabled) {
    // No scrolling: on a long screen the text above the field must stay in view.
    node.focus({ preventScroll: true });
  }
}

/** Moves focus to the element with this id once the pending DOM updates are applied. */
export async function focusById(id: string): Promise<void> {
  await tick();
  const element = document.getElementById(id);
  if (element instanceof HTMLElement) {
    element.focus();
  }
}

/**
 * Svelte action for something that appears over the page and must be announced (an alert
 * dialog): moves focus to it, and when it goes, puts focus back where it was if that element
 * is still on the page.
 */
export function holdFocus(node: HTMLElement): { destroy: () => void } {
  const previous = document.activeElement;
  node.focus({ preventScroll: true });
  return {
    destroy() {
      if (previous instanceof HTMLElement && previous.isConnected) {
        previous.focus({ preventScroll: true });
      }
    },
  };
}
