// Emergency access as plain data: the reason check the dialog gives before asking Rust (which
// checks it again), and the banner's words.
import { clockTime } from '../patients/format';

/** As Rust asks: at least 10 characters, at most 500, once trimmed. */
export const REASON_MIN_CHARACTERS = 10;
export const REASON_MAX_CHARACTERS = 500;

/** What is wrong with a reason before it is sent, or null. */
export function reasonProblem(reason: string): string | null {
  const length = [...reason.trim()].length;
  if (length < REASON_MIN_CHARACTERS) {
    return `Say in a sentence why you need this chart now (at least ${REASON_MIN_CHARACTERS} characters).`;
  }
  if (length > REASON_MAX_CHARACTERS) {
    return `Keep the reason to ${REASON_MAX_CHARACTERS} characters.`;
  }
  return null;
}

/** The banner over a chart opened under an emergency access. */
export function bannerText(expiresAt: string): string {
  return `Emergency access — recorded and reviewed — ends at ${clockTime(expiresAt)}`;
}

/** Milliseconds until the access ends (0 once it has). */
export function millisecondsLeft(expiresAt: string, now: Date = new Date()): number {
  const ends = new Date(expiresAt).getTime();
  return Number.isNaN(ends) ? 0 : Math.max(ends - now.getTime(), 0);
}
