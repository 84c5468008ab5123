// The home screen and everything reached from it are most of the UI's code. They load as a chunk
// of their own, so the sign-in screen does not wait for them to be parsed: `App.svelte` asks for
// the chunk once the first screen is painted, long before anyone has typed a password, and again
// (the same promise) when it shows the home screen.
import type HomeScreen from './HomeScreen.svelte';

let loading: Promise<{ default: typeof HomeScreen }> | null = null;

export function loadHomeScreen(): Promise<{ default: typeof HomeScreen }> {
  loading ??= import('./HomeScreen.svelte');
  return loading;
}
