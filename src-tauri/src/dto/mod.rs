//! The shapes that cross to the UI. TypeScript types for them are generated with ts-rs into
//! `ui/src/generated/bindings.ts`; a test fails when that file is stale.

/// `Debug` that prints only the type's name, for DTOs that carry patient data.
macro_rules! redacted {
    ($($type:ty),*) => {$(
        impl std::fmt::Debug for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($type), "([redacted])"))
            }
        }
    )*};
}

mod access;
pub mod audit;
pub mod backups;
pub mod chart;
pub mod front_desk;
pub mod patients;
mod redacted;

pub use access::{
    AccessSettingsView, EmergencyAccessForReviewView, IssuedPasswordView, KeyRotationView, NewUserForm, PermissionView,
    RoleView, SecondFactorStateView, TotpEnrolmentView, UserSummaryView, roles_from_views,
};
use chartkeep_clinic::{ClinicError, ErrorCode, Session};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every command error, as the UI receives it. The UI branches on `code`, shows `message`, and
/// puts it next to `field` when set; a form with several wrong fields also gets `fields`, one
/// message per field.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCodeView,
    pub message: String,
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<Vec<FieldErrorView>>,
}

/// A file saved where the person chose in the save dialog, and how many entries it holds.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "SavedFile")]
pub struct SavedFileView {
    pub path: String,
    pub count: u32,
}

impl SavedFileView {
    pub fn of(destination: &chartkeep_clinic::ExportDestination, count: u64) -> Self {
        SavedFileView {
            path: destination.path().to_string_lossy().into_owned(),
            count: u32::try_from(count).unwrap_or(u32::MAX),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "FieldError")]
pub struct FieldErrorView {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "ErrorCode")]
pub enum ErrorCodeView {
    InvalidInput,
    WrongCredentials,
    Forbidden,
    NoPractice,
    PracticeExists,
    RecoveryNeeded,
    KeyringUnavailable,
    KeySlotsDamaged,
    RecoveryKeyWrong,
    NewerDatabase,
    DatabaseUnreadable,
    AlreadyRunning,
    SessionExpired,
    SessionEnded,
    PasswordChangeRequired,
    SecondFactorRequired,
    SecondFactorEnrolmentRequired,
    AccountLocked,
    TooManyAttempts,
    NotFound,
    /// The change needs the user's confirmation first (a probable duplicate, an overlap).
    NeedsConfirmation,
    /// Someone else saved the record since it was opened; nothing was saved.
    StaleRecord,
    /// The key given does not open the backup.
    BackupKeyWrong,
    /// The backup was made by a newer Chartkeep; nothing changed.
    NewerBackup,
    /// Not a backup, or damaged, forged or another practice's: it was not used.
    BackupUnusable,
    /// The backup folder is full or cannot be reached.
    DestinationUnavailable,
    /// Cancelled by the person; nothing changed.
    Cancelled,
    /// A user was deactivated, but rotating the database key did not complete yet.
    KeyRotationPending,
    /// No one is signed in (or the screen is locked): the app layer's own code.
    NotSignedIn,
    Internal,
}

impl From<ErrorCode> for ErrorCodeView {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::InvalidInput => ErrorCodeView::InvalidInput,
            ErrorCode::WrongCredentials => ErrorCodeView::WrongCredentials,
            ErrorCode::Forbidden => ErrorCodeView::Forbidden,
            ErrorCode::NoPractice => ErrorCodeView::NoPractice,
            ErrorCode::PracticeExists => ErrorCodeView::PracticeExists,
            ErrorCode::RecoveryNeeded => ErrorCodeView::RecoveryNeeded,
            ErrorCode::KeyringUnavailable => ErrorCodeView::KeyringUnavailable,
            ErrorCode::KeySlotsDamaged => ErrorCodeView::KeySlotsDamaged,
            ErrorCode::RecoveryKeyWrong => ErrorCodeView::RecoveryKeyWrong,
            ErrorCode::NewerDatabase => ErrorCodeView::NewerDatabase,
            ErrorCode::DatabaseUnreadable => ErrorCodeView::DatabaseUnreadable,
            ErrorCode::AlreadyRunning => ErrorCodeView::AlreadyRunning,
            ErrorCode::SessionExpired => ErrorCodeView::SessionExpired,
            ErrorCode::SessionEnded => ErrorCodeView::SessionEnded,
            ErrorCode::PasswordChangeRequired => ErrorCodeView::PasswordChangeRequired,
            ErrorCode::SecondFactorRequired => ErrorCodeView::SecondFactorRequired,
            ErrorCode::SecondFactorEnrolmentRequired => ErrorCodeView::SecondFactorEnrolmentRequired,
            ErrorCode::AccountLocked => ErrorCodeView::AccountLocked,
            ErrorCode::TooManyAttempts => ErrorCodeView::TooManyAttempts,
            ErrorCode::NotFound => ErrorCodeView::NotFound,
            ErrorCode::NeedsConfirmation => ErrorCodeView::NeedsConfirmation,
            ErrorCode::StaleRecord => ErrorCodeView::StaleRecord,
            ErrorCode::BackupKeyWrong => ErrorCodeView::BackupKeyWrong,
            ErrorCode::NewerBackup => ErrorCodeView::NewerBackup,
            ErrorCode::BackupUnusable => ErrorCodeView::BackupUnusable,
            ErrorCode::DestinationUnavailable => ErrorCodeView::DestinationUnavailable,
            ErrorCode::Cancelled => ErrorCodeView::Cancelled,
            ErrorCode::KeyRotationPending => ErrorCodeView::KeyRotationPending,
            ErrorCode::Internal => ErrorCodeView::Internal,
        }
    }
}

impl From<ClinicError> for CommandError {
    fn from(error: ClinicError) -> Self {
        if error.code() == ErrorCode::Internal {
            // The detail is an operational message without patient data (SQLite's or the OS's).
            tracing::error!(error = %error, detail = ?error, "a command failed");
        }
        let field_errors = error.field_errors();
        let fields = (field_errors.len() > 1).then(|| {
            field_errors
                .into_iter()
                .map(|error| FieldErrorView { field: error.field.to_owned(), message: error.message })
                .collect()
        });
        CommandError {
            code: error.code().into(),
            message: error.to_string(),
            field: error.field().map(str::to_owned),
            fields,
        }
    }
}

impl CommandError {
    pub fn not_signed_in() -> Self {
        CommandError {
            code: ErrorCodeView::NotSignedIn,
            message: "Sign in first.".to_owned(),
            field: None,
            fields: None,
        }
    }

    /// No recovery key waits for confirmation: it was confirmed, or the owner signed out.
    pub fn no_pending_recovery_key() -> Self {
        CommandError {
            code: ErrorCodeView::NotFound,
            message: "The recovery key is no longer available here.".to_owned(),
            field: None,
            fields: None,
        }
    }

    pub fn invalid(field: &str, message: &str) -> Self {
        CommandError {
            code: ErrorCodeView::InvalidInput,
            message: message.to_owned(),
            field: Some(field.to_owned()),
            fields: None,
        }
    }
}

/// The signed-in user, what they may do, and how long the UI may stay idle.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub username: String,
    pub full_name: String,
    pub roles: Vec<RoleView>,
    pub permissions: Vec<PermissionView>,
    pub must_change_password: bool,
    pub second_factor: SecondFactorStateView,
    pub idle_timeout_seconds: u32,
}

impl UserView {
    pub fn of(session: &Session) -> Self {
        let user = session.user();
        UserView {
            username: user.username.clone(),
            full_name: user.full_name.clone(),
            roles: user.roles.iter().copied().map(RoleView::from).collect(),
            permissions: chartkeep_clinic::permissions_of(&user.roles).into_iter().map(PermissionView::from).collect(),
            must_change_password: session.must_change_password(),
            second_factor: session.second_factor_gate().into(),
            idle_timeout_seconds: u32::try_from(session.idle_timeout().whole_seconds()).unwrap_or(u32::MAX),
        }
    }
}

/// Which screen the app is on, and what that screen needs.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum AppStatus {
    NoPractice,
    SignedOut,
    /// Locked. `recovery_key_pending`: the owner locked before confirming the recovery key after
    /// setup; the key waits in Rust (never on this screen) until they unlock.
    Locked {
        username: String,
        full_name: String,
        recovery_key_pending: bool,
    },
    /// Signed in. `recovery_key_pending`: the recovery key step comes before anything else.
    SignedIn {
        user: UserView,
        practice_name: String,
        recovery_key_pending: bool,
    },
    RecoveryNeeded {
        message: String,
    },
    KeyringUnavailable {
        message: String,
    },
    Damaged {
        message: String,
    },
}

/// The first-run form. Its `Debug` (in `redacted.rs`) leaves the password out.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupForm {
    pub practice_name: String,
    pub owner_full_name: String,
    pub owner_username: String,
    pub owner_password: String,
}

/// The recovery key the owner has not yet confirmed after setup, for the recovery key step.
/// Its `Debug` (in `redacted.rs`) leaves the key out.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PendingRecoveryKeyView {
    pub recovery_key: String,
}

/// The text of `ui/src/generated/bindings.ts`.
#[cfg(test)]
fn typescript_bindings() -> String {
    let declarations = [
        ErrorCodeView::decl(),
        FieldErrorView::decl(),
        SavedFileView::decl(),
        CommandError::decl(),
        RoleView::decl(),
        PermissionView::decl(),
        SecondFactorStateView::decl(),
        UserView::decl(),
        AppStatus::decl(),
        SetupForm::decl(),
        PendingRecoveryKeyView::decl(),
        UserSummaryView::decl(),
        KeyRotationView::decl(),
        NewUserForm::decl(),
        IssuedPasswordView::decl(),
        access::RolePolicyView::decl(),
        AccessSettingsView::decl(),
        TotpEnrolmentView::decl(),
        EmergencyAccessForReviewView::decl(),
        audit::AuditFilterView::decl(),
        audit::OutcomeView::decl(),
        audit::AuditSortColumnView::decl(),
        audit::AuditSortView::decl(),
        audit::AuditRowView::decl(),
        audit::AuditPageView::decl(),
        audit::ChoiceView::decl(),
        audit::StaffChoiceView::decl(),
        audit::ChainCheckView::decl(),
        audit::IntegrityAlertView::decl(),
        audit::IntegrityStatusView::decl(),
        audit::VerificationView::decl(),
        patients::PhoneView::decl(),
        patients::AddressView::decl(),
        patients::EmergencyContactView::decl(),
        patients::InsuranceView::decl(),
        patients::PatientFormView::decl(),
        patients::ImportedPatientView::decl(),
        patients::PatientSummaryView::decl(),
        patients::PatientSearchView::decl(),
        patients::PatientRecordView::decl(),
        patients::DuplicateCandidateView::decl(),
        patients::PatientVersionView::decl(),
        patients::PatientMergeView::decl(),
        patients::DuplicateReviewItemView::decl(),
        backups::BackupSettingsView::decl(),
        backups::BackupTriggerView::decl(),
        backups::BackupRecordView::decl(),
        backups::BackupStatusView::decl(),
        backups::VerificationCheckView::decl(),
        backups::BackupVerificationView::decl(),
        backups::BackupSummaryView::decl(),
        backups::RestoreOutcomeView::decl(),
        backups::BackupStepView::decl(),
        backups::BackupProgressView::decl(),
        front_desk::AppointmentStatusView::decl(),
        front_desk::AppointmentView::decl(),
        front_desk::ClinicianDayView::decl(),
        front_desk::NewAppointmentView::decl(),
        front_desk::ColumnMappingView::decl(),
        front_desk::ImportMappingView::decl(),
        front_desk::ImportFieldChoiceView::decl(),
        front_desk::ImportPreviewView::decl(),
        front_desk::ImportProblemView::decl(),
        front_desk::ImportDuplicateView::decl(),
        front_desk::ImportReportView::decl(),
        front_desk::ImportSummaryView::decl(),
        front_desk::ImportProgressView::decl(),
        front_desk::DisclosureFormView::decl(),
        front_desk::DisclosureView::decl(),
        front_desk::AmendmentRequestFormView::decl(),
        front_desk::AmendmentRequestView::decl(),
        front_desk::EmergencyAccessView::decl(),
        chart::ItemFormView::decl(),
        chart::ChartItemView::decl(),
        chart::ChartItemVersionView::decl(),
        chart::SoapNoteView::decl(),
        chart::AddendumView::decl(),
        chart::EncounterView::decl(),
        chart::AllergyLineView::decl(),
        chart::AllergyBannerView::decl(),
        chart::OpenedChartView::decl(),
        chart::ItemFormKind::decl(),
        chart::AllergyBannerState::decl(),
        // The core's own codes, declared once from their enums (feature `typescript`).
        chartkeep_clinic::audit::CheckScope::decl(),
        chartkeep_clinic::audit::IntegrityAlertCode::decl(),
        chartkeep_clinic::patients::PatientStatus::decl(),
        chartkeep_clinic::patients::SearchKind::decl(),
        chartkeep_clinic::patients::DuplicateSign::decl(),
        chartkeep_clinic::patients::DateOrder::decl(),
        chartkeep_clinic::patients::PatientId::decl(),
        chartkeep_clinic::patients::Sex::decl(),
        chartkeep_clinic::patients::PhoneKind::decl(),
        chartkeep_clinic::patients::VersionChange::decl(),
        chartkeep_clinic::patients::ImportField::decl(),
        chartkeep_clinic::patients::ColumnDateFormat::decl(),
        chartkeep_clinic::chart::EncounterKind::decl(),
        chartkeep_clinic::chart::ItemChange::decl(),
        chartkeep_clinic::chart::ItemStatus::decl(),
        chartkeep_clinic::chart::AllergySeverity::decl(),
        chartkeep_clinic::backups::BackupCheck::decl(),
        chartkeep_clinic::AmendmentItem::decl(),
        chartkeep_clinic::AmendmentOutcome::decl(),
    ];
    let mut text =
        String::from("// This file was generated by ts-rs from src-tauri/src/dto/. Do not edit it by hand.\n");
    for declaration in declarations {
        text.push_str("\nexport ");
        text.push_str(&declaration);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// The committed bindings must match the Rust DTOs. `UPDATE_GENERATED=1` rewrites them.
    #[test]
    fn generated_typescript_bindings_are_up_to_date() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/generated/bindings.ts");
        let expected = super::typescript_bindings();
        if std::env::var_os("UPDATE_GENERATED").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == expected,
            "{} is stale: run `make generate` (UPDATE_GENERATED=1 cargo test -p chartkeep generated)",
            path.display()
        );
    }
}
