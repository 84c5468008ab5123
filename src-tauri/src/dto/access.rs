//! The shapes of access control at the boundary: roles, permissions, users, settings.

use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::{
    AccessSettings, EmergencyAccessForReview, IssuedPassword, Permission, Role, RolePolicy, SecondFactorGate,
    TotpEnrolment, UserSummary,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "Role")]
pub enum RoleView {
    Owner,
    Clinician,
    FrontDesk,
    Auditor,
}

impl From<Role> for RoleView {
    fn from(role: Role) -> Self {
        match role {
            Role::Owner => RoleView::Owner,
            Role::Clinician => RoleView::Clinician,
            Role::FrontDesk => RoleView::FrontDesk,
            Role::Auditor => RoleView::Auditor,
        }
    }
}

impl From<RoleView> for Role {
    fn from(role: RoleView) -> Self {
        match role {
            RoleView::Owner => Role::Owner,
            RoleView::Clinician => Role::Clinician,
            RoleView::FrontDesk => Role::FrontDesk,
            RoleView::Auditor => Role::Auditor,
        }
    }
}

pub fn roles_from_views(roles: &[RoleView]) -> Vec<Role> {
    roles.iter().copied().map(Role::from).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "Permission")]
pub enum PermissionView {
    OwnAccount,
    ManageUsers,
    ManageSettings,
    ViewAudit,
    ReviewEmergencyAccess,
    RequestEmergencyAccess,
    ReadDemographics,
    WriteDemographics,
    ManageAppointments,
    ReadChart,
    WriteChart,
    SignNotes,
    ExportChart,
    ManageBackups,
    RunScheduledBackup,
    RecordDisclosure,
    RecordAmendmentRequest,
    MergePatients,
    ReviewEnteredInError,
    ImportPatients,
}

impl From<Permission> for PermissionView {
    fn from(permission: Permission) -> Self {
        match permission {
            Permission::OwnAccount => PermissionView::OwnAccount,
            Permission::ManageUsers => PermissionView::ManageUsers,
            Permission::ManageSettings => PermissionView::ManageSettings,
            Permission::ViewAudit => PermissionView::ViewAudit,
            Permission::ReviewEmergencyAccess => PermissionView::ReviewEmergencyAccess,
            Permission::RequestEmergencyAccess => PermissionView::RequestEmergencyAccess,
            Permission::ReadDemographics => PermissionView::ReadDemographics,
            Permission::WriteDemographics => PermissionView::WriteDemographics,
            Permission::ManageAppointments => PermissionView::ManageAppointments,
            Permission::ReadChart => PermissionView::ReadChart,
            Permission::WriteChart => PermissionView::WriteChart,
            Permission::SignNotes => PermissionView::SignNotes,
            Permission::ExportChart => PermissionView::ExportChart,
            Permission::ManageBackups => PermissionView::ManageBackups,
            Permission::RunScheduledBackup => PermissionView::RunScheduledBackup,
            Permission::RecordDisclosure => PermissionView::RecordDisclosure,
            Permission::RecordAmendmentRequest => PermissionView::RecordAmendmentRequest,
            Permission::MergePatients => PermissionView::MergePatients,
            Permission::ReviewEnteredInError => PermissionView::ReviewEnteredInError,
            Permission::ImportPatients => PermissionView::ImportPatients,
        }
    }
}

/// What rotating the database key did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "KeyRotation")]
pub struct KeyRotationView {
    pub carried_users: u32,
    /// "Full name (username)" of users who need a new password from the Owner.
    pub users_needing_new_password: Vec<String>,
    pub database_bytes: f64,
}

impl From<chartkeep_clinic::KeyRotation> for KeyRotationView {
    fn from(rotation: chartkeep_clinic::KeyRotation) -> Self {
        KeyRotationView {
            carried_users: u32::try_from(rotation.carried_users).unwrap_or(u32::MAX),
            users_needing_new_password: rotation.users_needing_new_password,
            database_bytes: rotation.database_bytes as f64,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserSummaryView {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<RoleView>,
    pub active: bool,
    pub must_change_password: bool,
    pub locked_out: bool,
    pub has_second_factor: bool,
}

impl From<UserSummary> for UserSummaryView {
    fn from(user: UserSummary) -> Self {
        UserSummaryView {
            id: user.id,
            username: user.username,
            full_name: user.full_name,
            roles: user.roles.into_iter().map(RoleView::from).collect(),
            active: user.active,
            must_change_password: user.must_change_password,
            locked_out: user.locked_out,
            has_second_factor: user.has_second_factor,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewUserForm {
    pub full_name: String,
    pub username: String,
    pub roles: Vec<RoleView>,
}

/// A user and the one-time password to hand them; shown once, never stored. Its `Debug` (in
/// `redacted.rs`) leaves the password out.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IssuedPasswordView {
    pub user: UserSummaryView,
    pub temporary_password: String,
}

impl From<IssuedPassword> for IssuedPasswordView {
    fn from(issued: IssuedPassword) -> Self {
        IssuedPasswordView {
            user: issued.user.into(),
            temporary_password: issued.temporary_password.expose().to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RolePolicyView {
    pub role: RoleView,
    pub idle_timeout_minutes: u32,
    pub mfa_required: bool,
    pub emergency_access_allowed: bool,
    pub import_allowed: bool,
    pub co_sign_allowed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessSettingsView {
    pub role_policies: Vec<RolePolicyView>,
    pub emergency_access_minutes: u32,
}

impl From<AccessSettings> for AccessSettingsView {
    fn from(settings: AccessSettings) -> Self {
        AccessSettingsView {
            role_policies: settings
                .role_policies
                .into_iter()
                .map(|policy| RolePolicyView {
                    role: policy.role.into(),
                    idle_timeout_minutes: policy.idle_timeout_minutes,
                    mfa_required: policy.mfa_required,
                    emergency_access_allowed: policy.emergency_access_allowed,
                    import_allowed: policy.import_allowed,
                    co_sign_allowed: policy.co_sign_allowed,
                })
                .collect(),
            emergency_access_minutes: settings.emergency_access_minutes,
        }
    }
}

impl From<AccessSettingsView> for AccessSettings {
    fn from(view: AccessSettingsView) -> Self {
        AccessSettings {
            role_policies: view
                .role_policies
                .into_iter()
                .map(|policy| RolePolicy {
                    role: policy.role.into(),
                    idle_timeout_minutes: policy.idle_timeout_minutes,
                    mfa_required: policy.mfa_required,
                    emergency_access_allowed: policy.emergency_access_allowed,
                    import_allowed: policy.import_allowed,
                    co_sign_allowed: policy.co_sign_allowed,
                })
                .collect(),
            emergency_access_minutes: view.emergency_access_minutes,
        }
    }
}

/// Where the signed-in user stands with their second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "SecondFactorState")]
pub enum SecondFactorStateView {
    Passed,
    CodeRequired,
    EnrolmentRequired,
}

impl From<SecondFactorGate> for SecondFactorStateView {
    fn from(gate: SecondFactorGate) -> Self {
        match gate {
            SecondFactorGate::Passed => SecondFactorStateView::Passed,
            SecondFactorGate::CodeRequired { .. } => SecondFactorStateView::CodeRequired,
            SecondFactorGate::EnrolmentRequired => SecondFactorStateView::EnrolmentRequired,
        }
    }
}

/// What the enrolment screen shows: the QR code (a PNG, base64) and the same key to type. Its
/// `Debug` (in `redacted.rs`) leaves both out: the QR code holds the key too.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TotpEnrolmentView {
    pub secret_base32: String,
    pub qr_png_base64: String,
}

impl From<TotpEnrolment> for TotpEnrolmentView {
    fn from(enrolment: TotpEnrolment) -> Self {
        TotpEnrolmentView { secret_base32: enrolment.secret_base32, qr_png_base64: enrolment.qr_png_base64 }
    }
}

/// An emergency access waiting for the Owner's review, with the reason its user typed. The
/// reason may describe the patient and the label names them, so its `Debug` (in `redacted.rs`)
/// leaves both out.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessForReviewView {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub patient_id: PatientId,
    /// "Family, Given (MRN …)"; `None` only if the record is gone.
    pub patient_label: Option<String>,
    pub reason: String,
    pub started_at: String,
    pub expires_at: String,
}

impl From<EmergencyAccessForReview> for EmergencyAccessForReviewView {
    fn from(access: EmergencyAccessForReview) -> Self {
        EmergencyAccessForReviewView {
            id: access.id,
            username: access.username,
            full_name: access.full_name,
            patient_id: access.patient_id,
            patient_label: access.patient_label,
            reason: access.reason,
            started_at: access.started_at,
            expires_at: access.expires_at,
        }
    }
}
