import { tick } from 'svelte';

/**
 * Moves focus to a form field once the DOM is updated, scrolled to the middle of the window so
 * its label and the message under it stay in view (plain focus() puts it at the very top).
 */
export async function focusField(id: string): Promise<void> {
  await tick();
  const element = document.getElementById(id);
  if (element instanceof HTMLElement) {
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: 'center' });
  }
}
