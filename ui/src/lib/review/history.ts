// A record's History in words: versions newest first, what kind of change each was, which
// fields it changed.
import type { PatientVersionView, VersionChange } from '../../generated/bindings';
import { fieldLabel } from './recordFields';

/** The versions, newest first (the Rust side sends them oldest first). */
export function newestFirst(versions: readonly PatientVersionView[]): PatientVersionView[] {
  return [...versions].sort((a, b) => b.version - a.version);
}

const CHANGES: Record<VersionChange, string> = {
  registered: 'Registered',
  imported: 'Imported from a file',
  updated: 'Changed',
  entered_in_error: 'Marked entered in error',
};

/** "entered_in_error" as "Marked entered in error". */
export function changeLabel(change: VersionChange): string {
  return CHANGES[change];
}

/** The fields a version changed, in words: "Family name, Date of birth". */
export function changedFieldsText(version: PatientVersionView): string {
  if (version.changedFields.length === 0) {
    return version.change === 'registered' || version.change === 'imported' ? 'First version of the record' : 'No field changed';
  }
  return version.changedFields.map(fieldLabel).join(', ');
}

/** Whether `field` (a record row's key) was changed by this version, to mark it. */
export function changedHere(version: PatientVersionView, field: string): boolean {
  return version.changedFields.some((changed) => changed === field || changed.startsWith(`${field}.`));
}
