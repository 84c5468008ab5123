// The integrity status and a verification's result in one plain sentence each, and the names
// and confirmations of exported files.
import type { ChainCheckView, VerificationView } from '../../generated/bindings';
import { formatWhen } from './format';
import { localDay } from './period';
import { formatCount } from './table';

/** How a check was made: at sign-in (since the anchor, or the whole chain) or in full. */
function scopeText(scope: string): string {
  return scope === 'full' ? 'full verification' : 'checked at sign-in';
}

/** "Chain verified up to entry 123,456 at 10:42 (checked at sign-in)", or what else is true. */
export function integrityLine(check: ChainCheckView | null, now: Date = new Date(), locale?: string): string {
  if (check === null) {
    return 'The audit trail has not been verified yet.';
  }
  if (!check.intact) {
    const when = formatWhen(check.checkedAt, now, locale);
    return `The last verification, at ${when}, found a fault. Verify integrity to check the whole trail now.`;
  }
  if (check.verifiedThrough === null) {
    return 'The audit trail is empty.';
  }
  const when = formatWhen(check.checkedAt, now, locale);
  return `Chain verified up to entry ${formatCount(check.verifiedThrough)} at ${when} (${scopeText(check.scope)})`;
}

/** The result of "Verify integrity": how many entries verified, or what is wrong and where. */
export function verificationLine(result: VerificationView): string {
  if (result.intact) {
    return result.entries === 1 ? 'The one entry verified.' : `All ${formatCount(result.entries)} entries verified.`;
  }
  return result.description;
}

/** A file name to offer in the save dialog: "audit-2026-11-25.csv". */
export function defaultFileName(stem: string, extension: string, today: Date = new Date()): string {
  return `${stem}-${localDay(today)}.${extension}`;
}

/** "Saved 1,234 entries." after an export. */
export function savedLine(count: number): string {
  return count === 1 ? 'Saved 1 entry.' : `Saved ${formatCount(count)} entries.`;
}
