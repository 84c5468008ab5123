//! The permission matrix: which role may do what. It is data, read as a table, and the only
//! place that decides; every use case names the permission it needs and gets it checked by
//! [`crate::Session::authorize`]. Later capabilities add their permissions here.

use serde::Serialize;

use crate::roles::Role;
use crate::roles::Role::{Auditor, Clinician, FrontDesk, Owner};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// What every signed-in user may do to their own session and account: lock, sign out,
    /// change their own password, enrol their own second factor.
    OwnAccount,
    /// Create users, change their roles, deactivate, reactivate, reset passwords, unlock.
    ManageUsers,
    /// Idle timeouts, the second-factor policy, the emergency-access policy.
    ManageSettings,
    /// The audit view, audit reports and chain verification.
    ViewAudit,
    /// Review emergency accesses after the fact.
    ReviewEmergencyAccess,
    /// Ask for emergency ("break-glass") access to one patient's chart: for the roles that
    /// cannot read charts; the Owner can switch it off per role in the settings.
    RequestEmergencyAccess,
    /// Demographics, contact details, insurance.
    ReadDemographics,
    WriteDemographics,
    /// Appointments and check-in.
    ManageAppointments,
    /// Clinical content: notes, allergies, medications, problems.
    ReadChart,
    WriteChart,
    SignNotes,
    /// Take a chart out of Chartkeep: the printed summary and the FHIR export. Never given by
    /// emergency access, which is for seeing.
    ExportChart,
    /// Backups and restore.
    ManageBackups,
    /// Run the backups the Owner scheduled (daily, on sign-out), under whoever is signed in.
    RunScheduledBackup,
    /// Record a disclosure of a patient's information (the accounting of disclosures).
    RecordDisclosure,
    /// Record a patient's request to amend their record. Deciding it takes the permission to
    /// change the item it is about.
    RecordAmendmentRequest,
    /// Merge a duplicate record into the one that survives, and undo a merge.
    MergePatients,
    /// See the records entered in error and their History (they are in no other list).
    ReviewEnteredInError,
    /// Import patients from a CSV file; for roles other than the Owner only when the Owner
    /// allows it in the settings.
    ImportPatients,
}

/// Who holds each permission. A user holding several roles holds the union.
pub const PERMISSION_MATRIX: &[(Permission, &[Role])] = &[
    (Permission::OwnAccount, &[Owner, Clinician, FrontDesk, Auditor]),
    (Permission::ManageUsers, &[Owner]),
    (Permission::ManageSettings, &[Owner]),
    (Permission::ViewAudit, &[Owner, Auditor]),
    (Permission::ReviewEmergencyAccess, &[Owner, Auditor]),
    (Permission::RequestEmergencyAccess, &[Owner, FrontDesk, Auditor]),
    (Permission::ReadDemographics, &[Clinician, FrontDesk]),
    (Permission::WriteDemographics, &[Clinician, FrontDesk]),
    (Permission::ManageAppointments, &[Clinician, FrontDesk]),
    (Permission::ReadChart, &[Clinician]),
    (Permission::WriteChart, &[Clinician]),
    (Permission::SignNotes, &[Clinician]),
    (Permission::ExportChart, &[Clinician]),
    (Permission::ManageBackups, &[Owner]),
    (Permission::RunScheduledBackup, &[Owner, Clinician, FrontDesk, Auditor]),
    (Permission::RecordDisclosure, &[Clinician, FrontDesk]),
    (Permission::RecordAmendmentRequest, &[Clinician, FrontDesk]),
    (Permission::MergePatients, &[Owner]),
    (Permission::ReviewEnteredInError, &[Owner]),
    (Permission::ImportPatients, &[Owner, FrontDesk]),
];

/// What an emergency access to one patient lets a user do who otherwise could not: see, never
/// write, print or export.
pub const EMERGENCY_ACCESS_PERMISSIONS: &[Permission] = &[Permission::ReadDemographics, Permission::ReadChart];

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::OwnAccount => "own_account",
            Permission::ManageUsers => "manage_users",
            Permission::ManageSettings => "manage_settings",
            Permission::ViewAudit => "view_audit",
            Permission::ReviewEmergencyAccess => "review_emergency_access",
            Permission::RequestEmergencyAccess => "request_emergency_access",
            Permission::ReadDemographics => "read_demographics",
            Permission::WriteDemographics => "write_demographics",
            Permission::ManageAppointments => "manage_appointments",
            Permission::ReadChart => "read_chart",
            Permission::WriteChart => "write_chart",
            Permission::SignNotes => "sign_notes",
            Permission::ExportChart => "export_chart",
            Permission::ManageBackups => "manage_backups",
            Permission::RunScheduledBackup => "run_scheduled_backup",
            Permission::RecordDisclosure => "record_disclosure",
            Permission::RecordAmendmentRequest => "record_amendment_request",
            Permission::MergePatients => "merge_patients",
            Permission::ReviewEnteredInError => "review_entered_in_error",
            Permission::ImportPatients => "import_patients",
        }
    }

    /// The roles that hold this permission.
    pub fn roles(self) -> &'static [Role] {
        PERMISSION_MATRIX.iter().find(|(permission, _)| *permission == self).map_or(&[], |(_, roles)| roles)
    }
}

/// Whether a user with `roles` holds `permission`.
pub fn is_allowed(roles: &[Role], permission: Permission) -> bool {
    permission.roles().iter().any(|role| roles.contains(role))
}

/// The permissions a user with `roles` holds, for the UI to hide what it cannot do.
pub fn permissions_of(roles: &[Role]) -> Vec<Permission> {
    PERMISSION_MATRIX.iter().map(|(permission, _)| *permission).filter(|p| is_allowed(roles, *p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_appears_once_in_the_matrix() {
        for (index, (permission, _)) in PERMISSION_MATRIX.iter().enumerate() {
            let later = PERMISSION_MATRIX[index + 1..].iter().filter(|(other, _)| other == permission).count();
            assert_eq!(later, 0, "{permission:?} is listed twice");
        }
    }

    #[test]
    fn roles_combine_as_a_union() {
        assert!(!is_allowed(&[Owner], Permission::ReadChart));
        assert!(is_allowed(&[Owner, Clinician], Permission::ReadChart));
        assert!(is_allowed(&[Owner, Clinician], Permission::ManageUsers));
        assert!(!is_allowed(&[FrontDesk], Permission::ReadChart));
        assert!(!is_allowed(&[Auditor], Permission::ReadDemographics));
        assert!(!is_allowed(&[], Permission::OwnAccount));
    }
}
