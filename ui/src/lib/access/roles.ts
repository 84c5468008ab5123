import type { Role } from '../../generated/bindings';

/** Every role, in the order the screens list them. */
export const ROLES: readonly Role[] = ['owner', 'clinician', 'front_desk', 'auditor'];

const LABELS: Record<Role, string> = {
  owner: 'Owner',
  clinician: 'Clinician',
  front_desk: 'Front desk',
  auditor: 'Auditor',
};

export function roleLabel(role: Role): string {
  return LABELS[role];
}

/** "Owner, Clinician" in the screens' order, whatever order the roles came in. */
export function rolesLabel(roles: readonly Role[]): string {
  return ROLES.filter((role) => roles.includes(role)).map(roleLabel).join(', ');
}
