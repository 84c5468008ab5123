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
    text: 'Choose idle timeouts, two-step sign-in and emergency access for each role, under Settings.',
  },
  {
    permission: 'view_audit',
    text: 'Read, filter and export the audit trail, and verify that it is intact, under Audit.',
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

/** The sentences for the permissions this user holds, in the home view's order. */
export function capabilitiesOf(permissions: readonly Permission[]): string[] {
  return CAPABILITIES.filter(({ permission }) => permissions.includes(permission)).map(({ text }) => text);
}
