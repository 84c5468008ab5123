/** The views of the signed-in screen, chosen in the toolbar. */
export type View =
  | 'home'
  | 'users'
  | 'settings'
  | 'audit'
  | 'import'
  | 'duplicates'
  | 'entered-in-error'
  | 'backups'
  | 'account';

/** Which views this user may open, from their permissions. */
export interface ViewsAllowed {
  manageUsers: boolean;
  manageSettings: boolean;
  viewAudit: boolean;
  importPatients: boolean;
  merge: boolean;
  reviewEnteredInError: boolean;
  manageBackups: boolean;
}
