// Where the app's status comes from. The first screen needs it as soon as possible, so Rust puts
// the status it had when it made the window into the page before the page loads
// (`window.__CHARTKEEP_FIRST_STATUS__`, see src-tauri/src/window.rs), which saves the first
// command's round trip. It is taken once, and only on the page's first load: after a reload it
// would be out of date, so the status is asked then. Every later status is asked anew, since the
// status changes (a lock, a sign-out, a session Rust's timer ended).
import type { AppStatus } from '../../generated/bindings';

/** The name of the global Rust's initialization script sets. */
export const FIRST_STATUS_GLOBAL = '__CHARTKEEP_FIRST_STATUS__';

/** The parts of the page the first status is read from. */
export interface PageWithFirstStatus {
  [FIRST_STATUS_GLOBAL]?: unknown;
}

function looksLikeStatus(value: unknown): value is AppStatus {
  return typeof value === 'object' && value !== null && typeof (value as { state?: unknown }).state === 'string';
}

/**
 * The status Rust handed over, removed from the page; asked with `ask` when there is none, or when
 * this is not the page's first load (`navigationType` is the Navigation Timing type, such as
 * "navigate" or "reload").
 */
export function takeFirstStatus(
  page: PageWithFirstStatus,
  navigationType: string | undefined,
  ask: () => Promise<AppStatus>,
): Promise<AppStatus> {
  const handed = page[FIRST_STATUS_GLOBAL];
  delete page[FIRST_STATUS_GLOBAL];
  return navigationType === 'navigate' && looksLikeStatus(handed) ? Promise.resolve(handed) : ask();
}

/** The page's load type from the Navigation Timing entry, when the webview reports one. */
export function navigationType(): string | undefined {
  const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return entry?.type;
}

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
