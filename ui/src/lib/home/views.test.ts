import { describe, expect, it } from 'vitest';
import { recordViews, type ViewsAllowed } from './views';

const nothing: ViewsAllowed = {
  manageUsers: false,
  manageSettings: false,
  viewAudit: false,
  importPatients: false,
  merge: false,
  reviewEnteredInError: false,
  manageBackups: false,
};

describe('recordViews', () => {
  it('lists the record views a user may open, in the toolbar\'s order', () => {
    const all = recordViews({ ...nothing, importPatients: true, merge: true, reviewEnteredInError: true });
    expect(all.map((entry) => entry.id)).toEqual(['nav-import', 'nav-duplicates', 'nav-entered-in-error']);
    expect(all.map((entry) => entry.label)).toEqual(['Import', 'Duplicates', 'Entered in error']);
  });

  it('lists only those allowed, and none for a user without them', () => {
    expect(recordViews({ ...nothing, importPatients: true }).map((entry) => entry.view)).toEqual(['import']);
    expect(recordViews({ ...nothing, manageUsers: true, viewAudit: true })).toEqual([]);
  });
});
