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

/** A view the toolbar offers under a menu button: where it goes, its button's id and words. */
export interface MenuView {
  view: View;
  id: string;
  label: string;
}

/**
 * The views that look after the practice's records as a whole (importing, merging duplicates,
 * reviewing what was entered in error), in the toolbar's order. Together under one button when
 * a user may open more than one of them, so the toolbar fits on one line at 1024 pixels.
 */
export function recordViews(can: ViewsAllowed): MenuView[] {
  const views: (MenuView | false)[] = [
    can.importPatients && { view: 'import', id: 'nav-import', label: 'Import' },
    can.merge && { view: 'duplicates', id: 'nav-duplicates', label: 'Duplicates' },
    can.reviewEnteredInError && { view: 'entered-in-error', id: 'nav-entered-in-error', label: 'Entered in error' },
  ];
  return views.filter((entry): entry is MenuView => entry !== false);
}
