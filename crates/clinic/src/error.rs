//! The errors use cases return. Each has a stable machine-readable code for the UI and a
//! plain-language message for people; neither ever holds patient data or a secret.

use chartkeep_vault::VaultError;
use serde::Serialize;

/// What kind of failure happened, as the UI and the CLI branch on it (never on message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
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
    NeedsConfirmation,
    StaleRecord,
    /// The key given does not open the backup.
    BackupKeyWrong,
    /// The backup was made by a newer Chartkeep; update first.
    NewerBackup,
    /// The file is not a backup, or is damaged, forged or another practice's: not used.
    BackupUnusable,
    /// The backup folder is full or cannot be reached.
    DestinationUnavailable,
    /// The person cancelled; nothing changed.
    Cancelled,
    /// Rotating the database key could not complete now (the database is in use, a rotation is
    /// being completed); after a deactivation, the deactivation stands.
    KeyRotationPending,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum ClinicError {
    /// Bad input; `field` names the form field it belongs to.
    #[error("{message}")]
    InvalidInput { field: &'static str, message: String },

    /// Several fields of a form are wrong; each has its own message.
    #[error("{}", first_message(.0))]
    InvalidFields(Vec<FieldError>),

    #[error("You do not have permission to do this.")]
    Forbidden,

    #[error("Chartkeep locked itself after a period without activity. Sign in again to go on.")]
    SessionExpired,

    #[error("This session has ended because the account was changed by the practice owner.")]
    SessionEnded,

    #[error("Choose your own password before going on.")]
    PasswordChangeRequired,

    #[error("Enter the code from your authenticator app first.")]
    SecondFactorRequired,

    #[error("Your role requires two-step sign-in. Set it up before going on.")]
    SecondFactorEnrolmentRequired,

    #[error(
        "This account is locked for {minutes} more minute(s) after too many wrong passwords. The practice owner can unlock it sooner."
    )]
    AccountLocked { minutes: i64 },

    #[error("Too many wrong passwords. Wait {seconds} second(s), then try again.")]
    TooManyAttempts { seconds: i64 },

    #[error("{0} was not found.")]
    NotFound(&'static str),

    /// The change is possible but needs the user to confirm it first: a probable duplicate, an
    /// overlapping booking. Nothing was changed; asking again with the confirmation goes ahead.
    #[error("{message}")]
    NeedsConfirmation { field: &'static str, message: String },

    #[error(
        "Someone else changed this record since you opened it. Nothing was saved: open it again and redo your change."
    )]
    StaleRecord,

    #[error(
        "The user was deactivated, but the database key could not be rotated yet: {cause}. Until it is, a copy of the key-slot file made earlier still opens the practice. Choose \"Rotate the database key\" under Users when the practice is quiet."
    )]
    KeyRotationPending { cause: String },

    #[error(transparent)]
    Vault(#[from] VaultError),

    /// A database failure. The detail goes to the log (it holds no values, only SQLite's
    /// message); people see a general sentence.
    #[error("The practice database could not complete the operation. Nothing was changed.")]
    Database(#[from] rusqlite::Error),

    #[error("{0}")]
    Internal(&'static str),
}

/// One wrong field of a form and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn first_message(errors: &[FieldError]) -> &str {
    errors.first().map_or("Check the highlighted fields.", |error| error.message.as_str())
}

impl ClinicError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ClinicError::InvalidInput { field, message: message.into() }
    }

    /// `Ok` when no field is wrong; otherwise every wrong field with its message.
    pub(crate) fn fields_or_ok(problems: Vec<(&'static str, String)>) -> ClinicResult<()> {
        if problems.is_empty() {
            return Ok(());
        }
        Err(ClinicError::InvalidFields(
            problems.into_iter().map(|(field, message)| FieldError { field, message }).collect(),
        ))
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ClinicError::InvalidInput { .. } | ClinicError::InvalidFields(_) => ErrorCode::InvalidInput,
            ClinicError::Forbidden => ErrorCode::Forbidden,
            ClinicError::SessionExpired => ErrorCode::SessionExpired,
            ClinicError::SessionEnded => ErrorCode::SessionEnded,
            ClinicError::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            ClinicError::SecondFactorRequired => ErrorCode::SecondFactorRequired,
            ClinicError::SecondFactorEnrolmentRequired => ErrorCode::SecondFactorEnrolmentRequired,
            ClinicError::AccountLocked { .. } => ErrorCode::AccountLocked,
            ClinicError::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            ClinicError::NotFound(_) => ErrorCode::NotFound,
            ClinicError::NeedsConfirmation { .. } => ErrorCode::NeedsConfirmation,
            ClinicError::StaleRecord => ErrorCode::StaleRecord,
            ClinicError::KeyRotationPending { .. } => ErrorCode::KeyRotationPending,
            // A stored code that no longer means anything is refused like a typed one.
            ClinicError::Database(rusqlite::Error::FromSqlConversionFailure(..)) => ErrorCode::InvalidInput,
            ClinicError::Database(_) | ClinicError::Internal(_) => ErrorCode::Internal,
            ClinicError::Vault(vault) => match vault {
                VaultError::NoVault(_) => ErrorCode::NoPractice,
                VaultError::VaultExists(_) => ErrorCode::PracticeExists,
                VaultError::WrongCredentials => ErrorCode::WrongCredentials,
                VaultError::KeySlotFileDamaged(_) | VaultError::KeySlotsForeign => ErrorCode::KeySlotsDamaged,
                VaultError::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
                VaultError::DeviceSecretMissing | VaultError::DeviceSecretMismatch => ErrorCode::RecoveryNeeded,
                VaultError::RecoveryKeyMalformed | VaultError::RecoveryKeyWrong => ErrorCode::RecoveryKeyWrong,
                VaultError::DatabaseNewerThanApp { .. } => ErrorCode::NewerDatabase,
                VaultError::DatabaseUnreadable | VaultError::DatabaseMissing(_) => ErrorCode::DatabaseUnreadable,
                VaultError::AlreadyRunning(_) => ErrorCode::AlreadyRunning,
                VaultError::RecipientMalformed => ErrorCode::InvalidInput,
                VaultError::BackupKeyWrong => ErrorCode::BackupKeyWrong,
                VaultError::BackupFileMissing(_) => ErrorCode::NotFound,
                VaultError::NotABackup
                | VaultError::BackupOfAnotherPractice
                | VaultError::BackupForged
                | VaultError::BackupDamaged(_) => ErrorCode::BackupUnusable,
                VaultError::BackupNewerThanApp { .. } => ErrorCode::NewerBackup,
                VaultError::DestinationFull(_) | VaultError::DestinationUnreachable(_) => {
                    ErrorCode::DestinationUnavailable
                }
                VaultError::Cancelled => ErrorCode::Cancelled,
                VaultError::RotationRefused(_) => ErrorCode::KeyRotationPending,
                VaultError::Randomness
                | VaultError::RecoveryRecipientUnconfirmed
                | VaultError::KeyDerivation(_)
                | VaultError::Database(_)
                | VaultError::Io { .. } => ErrorCode::Internal,
            },
        }
    }

    /// The form field an input error belongs to, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ClinicError::InvalidInput { field, .. } => Some(field),
            ClinicError::InvalidFields(errors) => errors.first().map(|error| error.field),
            ClinicError::NeedsConfirmation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Every wrong field with its message (one for a single-field error).
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ClinicError::InvalidInput { field, message } => vec![FieldError { field, message: message.clone() }],
            ClinicError::InvalidFields(errors) => errors.clone(),
            _ => Vec::new(),
        }
    }
}

pub type ClinicResult<T> = Result<T, ClinicError>;
