// What every screen may ask of the app, set once by App.svelte and taken with getAppContext():
// ask Rust for the status again, say something at the top of home, and take a failed command.
// A command refused because the session ended or expired (or the practice changed underneath,
// see needsFreshStatus) refreshes the status, so the lock or sign-in screen shows.
import { getContext, setContext } from 'svelte';
import type { CommandError } from '../../generated/bindings';
import { asCommandError, needsFreshStatus } from '../api/invoke';

export interface AppContext {
  /** Asks Rust for the status again; the app then shows the screen it calls for. */
  refresh(): void;
  /** Says something once at the top of home (signed in), until closed. */
  notify(text: string): void;
  /** A failed command as the CommandError to show; refreshes the status when it no longer fits. */
  failure(thrown: unknown): CommandError;
}

const KEY = Symbol('chartkeep-app');

/** The context for `refresh` and `notify`, with the one way to take a failure. */
export function appContext(refresh: () => void, notify: (text: string) => void): AppContext {
  return {
    refresh,
    notify,
    failure(thrown: unknown): CommandError {
      const error = asCommandError(thrown);
      if (needsFreshStatus(error.code)) {
        refresh();
      }
      return error;
    },
  };
}

/** App.svelte: offers `context` to every component below it. */
export function setAppContext(context: AppContext): AppContext {
  return setContext(KEY, context);
}

/** The app's context; called while a component is created, like any getContext. */
export function getAppContext(): AppContext {
  const context = getContext<AppContext | undefined>(KEY);
  if (context === undefined) {
    throw new Error('getAppContext: App.svelte sets the context; this component is outside it.');
  }
  return context;
}
