//! `Debug` for the DTOs that carry a secret (a password, a key, a code) or text that may describe
//! a patient. Each prints `[redacted]` in place of that field, so a DTO that reaches a log line,
//! a panic or an error message by accident gives nothing away. The other fields print as usual.

use std::fmt;

use super::access::{EmergencyAccessForReviewView, IssuedPasswordView, TotpEnrolmentView};
use super::{PendingRecoveryKeyView, SetupForm};

/// Stands in for a field that must not be printed.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Debug for SetupForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetupForm")
            .field("practice_name", &self.practice_name)
            .field("owner_full_name", &self.owner_full_name)
            .field("owner_username", &self.owner_username)
            .field("owner_password", &Redacted)
            .finish()
    }
}

impl fmt::Debug for PendingRecoveryKeyView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingRecoveryKeyView").field("recovery_key", &Redacted).finish()
    }
}

impl fmt::Debug for IssuedPasswordView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedPasswordView").field("user", &self.user).field("temporary_password", &Redacted).finish()
    }
}

impl fmt::Debug for TotpEnrolmentView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpEnrolmentView").field("secret_base32", &Redacted).field("qr_png_base64", &Redacted).finish()
    }
}

impl fmt::Debug for EmergencyAccessForReviewView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmergencyAccessForReviewView")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("full_name", &self.full_name)
            .field("patient_id", &self.patient_id)
            .field("patient_label", &Redacted)
            .field("reason", &Redacted)
            .field("started_at", &self.started_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::UserSummaryView;

    /// Formats `value` with `{:?}` and `{:#?}`, and checks that no secret appears in either.
    fn assert_redacted(value: &impl fmt::Debug, secrets: &[&str]) {
        for printed in [format!("{value:?}"), format!("{value:#?}")] {
            assert!(printed.contains("[redacted]"), "{printed}");
            for secret in secrets {
                assert!(!printed.contains(secret), "{secret} printed in {printed}");
            }
        }
    }

    fn user() -> UserSummaryView {
        UserSummaryView {
            id: "user-1".into(),
            username: "desk".into(),
            full_name: "Dee Desk".into(),
            roles: Vec::new(),
            active: true,
            must_change_password: true,
            locked_out: false,
            has_second_factor: false,
        }
    }

    #[test]
    fn dtos_with_secrets_print_them_redacted() {
        let form = SetupForm {
            practice_name: "Redaction Practice".into(),
            owner_full_name: "Ro Owner".into(),
            owner_username: "owner".into(),
            owner_password: "canary-owner-password".into(),
        };
        assert_redacted(&form, &["canary-owner-password"]);
        assert!(format!("{form:?}").contains("Redaction Practice"), "the other fields still print");

        let pending = PendingRecoveryKeyView { recovery_key: "AGE-SECRET-KEY-1CANARYRECOVERYKEY".into() };
        assert_redacted(&pending, &["AGE-SECRET-KEY", "CANARYRECOVERYKEY"]);

        let issued = IssuedPasswordView { user: user(), temporary_password: "canary-temporary-password".into() };
        assert_redacted(&issued, &["canary-temporary-password"]);
        assert!(format!("{issued:?}").contains("Dee Desk"), "the user still prints");

        let enrolment = TotpEnrolmentView {
            secret_base32: "CANARYTOTPSECRETBASE32".into(),
            qr_png_base64: "iVBORw0KGgoCANARYQRCODE".into(),
        };
        assert_redacted(&enrolment, &["CANARYTOTPSECRETBASE32", "iVBORw0KGgoCANARYQRCODE"]);

        let access = EmergencyAccessForReviewView {
            id: "access-1".into(),
            username: "clin".into(),
            full_name: "Cy Clinician".into(),
            patient_id: chartkeep_clinic::patients::PatientId::new("patient-7"),
            patient_label: Some("Canaryfamily, Canarygiven (MRN 000123)".into()),
            reason: "canary reason: chest pain at the front desk".into(),
            started_at: "2026-01-01T10:00:00.000Z".into(),
            expires_at: "2026-01-01T11:00:00.000Z".into(),
        };
        assert_redacted(&access, &["canary reason", "chest pain", "Canaryfamily", "Canarygiven"]);
    }
}
