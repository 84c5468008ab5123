//! What a use case records in the audit trail. Details hold field names, counts, codes and
//! identifiers only: their types accept no free text, so no patient data can slip in.

use serde::Serialize;
use serde_json::{Map, Value};

/// The audited actions. Later capabilities add theirs here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    PracticeCreated,
    UserCreated,
    Login,
    LoginFailed,
    Logout,
    Lock,
    Unlock,
    RecoveryKeyUsed,
    AuditVerification,
    AutomaticLogoff,
    UserListViewed,
    RolesChanged,
    UserDeactivated,
    UserReactivated,
    PasswordReset,
    PasswordChanged,
    AccountUnlocked,
    SettingsViewed,
    SettingsChanged,
    SecondFactorEnrolled,
    SecondFactorVerified,
    SecondFactorFailed,
    SecondFactorReset,
    View,
    EmergencyAccessStarted,
    EmergencyAccessReviewed,
    Create,
    Update,
    EnteredInError,
    Print,
    Export,
    Search,
    Merge,
    Unmerge,
    Import,
    Backup,
    Restore,
    AuditExport,
    AuditIntegrityAlert,
    AuditIntegrityAlertAcknowledged,
    DatabaseKeyRotated,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::PracticeCreated => "practice_created",
            AuditAction::UserCreated => "user_created",
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::Lock => "lock",
            AuditAction::Unlock => "unlock",
            AuditAction::RecoveryKeyUsed => "recovery_key_used",
            AuditAction::AuditVerification => "audit_verification",
            AuditAction::AutomaticLogoff => "automatic_logoff",
            AuditAction::UserListViewed => "user_list_viewed",
            AuditAction::RolesChanged => "roles_changed",
            AuditAction::UserDeactivated => "user_deactivated",
            AuditAction::UserReactivated => "user_reactivated",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::AccountUnlocked => "account_unlocked",
            AuditAction::SettingsViewed => "settings_viewed",
            AuditAction::SettingsChanged => "settings_changed",
            AuditAction::SecondFactorEnrolled => "second_factor_enrolled",
            AuditAction::SecondFactorVerified => "second_factor_verified",
            AuditAction::SecondFactorFailed => "second_factor_failed",
            AuditAction::SecondFactorReset => "second_factor_reset",
            AuditAction::View => "view",
            AuditAction::EmergencyAccessStarted => "emergency_access_started",
            AuditAction::EmergencyAccessReviewed => "emergency_access_reviewed",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::EnteredInError => "entered_in_error",
            AuditAction::Print => "print",
            AuditAction::Export => "export",
            AuditAction::Search => "search",
            AuditAction::Merge => "merge",
            AuditAction::Unmerge => "unmerge",
            AuditAction::Import => "import",
            AuditAction::Backup => "backup",
            AuditAction::Restore => "restore",
            AuditAction::AuditExport => "audit_export",
            AuditAction::AuditIntegrityAlert => "audit_integrity_alert",
            AuditAction::AuditIntegrityAlertAcknowledged => "audit_integrity_alert_acknowledged",
            AuditAction::DatabaseKeyRotated => "database_key_rotated",
        }
    }

    /// The action in words, for printouts: "Emergency access started".
    pub fn label(self) -> String {
        let text = self.as_str().replace('_', " ");
        let mut characters = text.chars();
        characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
    }

    /// A stored action code in words; an unknown code is shown as it is.
    pub fn label_of(code: &str) -> String {
        AuditAction::parse(code).map_or_else(|| code.to_owned(), AuditAction::label)
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|action| action.as_str() == text)
    }

    /// Every action, in the order the audit view lists them.
    pub const ALL: [AuditAction; 41] = [
        AuditAction::View,
        AuditAction::Search,
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::EnteredInError,
        AuditAction::Print,
        AuditAction::Export,
        AuditAction::Merge,
        AuditAction::Unmerge,
        AuditAction::Import,
        AuditAction::EmergencyAccessStarted,
        AuditAction::EmergencyAccessReviewed,
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::Lock,
        AuditAction::Unlock,
        AuditAction::AutomaticLogoff,
        AuditAction::SecondFactorVerified,
        AuditAction::SecondFactorFailed,
        AuditAction::SecondFactorEnrolled,
        AuditAction::SecondFactorReset,
        AuditAction::PracticeCreated,
        AuditAction::UserCreated,
        AuditAction::UserListViewed,
        AuditAction::RolesChanged,
        AuditAction::UserDeactivated,
        AuditAction::UserReactivated,
        AuditAction::PasswordReset,
        AuditAction::PasswordChanged,
        AuditAction::AccountUnlocked,
        AuditAction::SettingsViewed,
        AuditAction::SettingsChanged,
        AuditAction::RecoveryKeyUsed,
        AuditAction::Backup,
        AuditAction::Restore,
        AuditAction::AuditVerification,
        AuditAction::AuditExport,
        AuditAction::AuditIntegrityAlert,
        AuditAction::AuditIntegrityAlertAcknowledged,
        AuditAction::DatabaseKeyRotated,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// One value in an entry's details: never free text.
#[derive(Debug, Clone)]
pub enum Detail {
    Count(u64),
    Flag(bool),
    /// A fixed word chosen by the code, such as a reason code.
    Code(&'static str),
    /// An identifier (a UUID, a sequence number), never a name.
    Identifier(String),
    /// Names of fields, e.g. which fields an update changed.
    Fields(Vec<&'static str>),
}

/// An event to append to the audit chain.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: AuditAction,
    pub outcome: Outcome,
    pub patient_id: Option<String>,
    pub object_type: Option<&'static str>,
    pub object_id: Option<String>,
    pub data_category: Option<&'static str>,
    pub reason: Option<&'static str>,
    /// A reason a person typed, instead of a code: only for starting an emergency access, where
    /// the trail must keep why the glass was broken. It may describe the patient's situation; it
    /// stays inside the encrypted database like every entry and never reaches a log.
    pub stated_reason: Option<crate::Phi<String>>,
    pub emergency_access: bool,
    details: Vec<(&'static str, Detail)>,
}

impl AuditEvent {
    pub fn new(action: AuditAction, outcome: Outcome) -> Self {
        AuditEvent {
            action,
            outcome,
            patient_id: None,
            object_type: None,
            object_id: None,
            data_category: None,
            reason: None,
            stated_reason: None,
            emergency_access: false,
            details: Vec::new(),
        }
    }

    pub fn success(action: AuditAction) -> Self {
        Self::new(action, Outcome::Success)
    }

    pub fn object(mut self, object_type: &'static str, object_id: impl Into<String>) -> Self {
        self.object_type = Some(object_type);
        self.object_id = Some(object_id.into());
        self
    }

    pub fn category(mut self, data_category: &'static str) -> Self {
        self.data_category = Some(data_category);
        self
    }

    pub fn reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }

    pub(crate) fn stated_reason(mut self, reason: &str) -> Self {
        self.stated_reason = Some(crate::Phi::new(reason.to_owned()));
        self
    }

    pub fn patient(mut self, patient_id: &crate::patients::PatientId) -> Self {
        self.patient_id = Some(patient_id.as_str().to_owned());
        self
    }

    /// Marks the entry as made under an emergency access (break-glass), naming the access; its
    /// typed reason stays in the emergency access record.
    pub fn under_emergency_access(mut self, emergency_access_id: &str) -> Self {
        self.emergency_access = true;
        self.detail("emergency_access_id", Detail::Identifier(emergency_access_id.to_owned()))
    }

    pub fn detail(mut self, key: &'static str, value: Detail) -> Self {
        self.details.push((key, value));
        self
    }

    /// The details as compact JSON with keys in a fixed (sorted) order.
    pub(crate) fn details_json(&self) -> String {
        let mut map = Map::new();
        for (key, value) in &self.details {
            let json = match value {
                Detail::Count(count) => Value::from(*count),
                Detail::Flag(flag) => Value::from(*flag),
                Detail::Code(code) => Value::from(*code),
                Detail::Identifier(id) => Value::from(id.as_str()),
                Detail::Fields(fields) => Value::from(fields.clone()),
            };
            map.insert((*key).to_owned(), json);
        }
        Value::Object(map).to_string()
    }
}
