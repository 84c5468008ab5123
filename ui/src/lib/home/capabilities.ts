import type { Permission } from '../../generated/bindings';

// What a signed-in user can do in Chartkeep today, in the order the home view lists it. Only
// permissions with a screen in this version are listed, each with where to find it, so the list
// never points at something that is not there.
const CAPABILITIES: readonly { permission: Permission; text: string }[] = [
  {
    permission: 'manage_users',
    text: 'Add staff, change their roles, reset their passwords and lift lockouts, under Users.',
  },
  {
    permission: 'manage_settings',
    text: 'Choose idle timeouts, two-step sign-in, emergency access, importing and co-signing notes for each role, and how the practice writes dates, under Settings.',
  },
  {
    permission: 'view_audit',
    text: 'Read, filter and export the audit trail, and verify that it is intact, under Audit.',
  },
  {
    permission: 'import_patients',
    text: 'Import patients from a CSV file, with every row checked before anything is saved, under Import.',
  },
  {
    permission: 'merge_patients',
    text: 'Merge the records an import flagged as probable duplicates, or undo a merge, under Duplicates.',
  },
  {
    permission: 'review_entered_in_error',
    text: 'See the records marked as entered in error and their History, under Entered in error.',
  },
  {
    permission: 'manage_backups',
    text: 'Back up the practice, choose where and when backups are made, verify them, and restore one, under Backups.',
  },
  {
    permission: 'review_emergency_access',
    text: 'Review emergency accesses to patient records, below.',
  },
  {
    permission: 'own_account',
    text: 'Change your password and set up two-step sign-in, under My account.',
  },
];

/** The views the toolbar puts under its Records button when a user may open more than one. */
const RECORD_VIEWS: readonly Permission[] = ['import_patients', 'merge_patients', 'review_entered_in_error'];

/** The sentences for the permissions this user holds, in the home view's order. */
export function capabilitiesOf(permissions: readonly Permission[]): string[] {
  const underRecords = RECORD_VIEWS.filter((permission) => permissions.includes(permission)).length > 1;
  return CAPABILITIES.filter(({ permission }) => permissions.includes(permission)).map(({ permission, text }) =>
    underRecords && RECORD_VIEWS.includes(permission) ? text.replace(/under ([^,.]+)\.$/, 'under Records › $1.') : text,
  );
}
