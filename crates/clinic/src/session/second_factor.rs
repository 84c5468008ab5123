//! The second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30-second steps, ±1 step accepted) and
//! ten single-use recovery codes. A user who has enrolled must give a code after their password
//! before the session can do anything; a user whose role requires a second factor and who has
//! none must enrol first. Each code is accepted once: the last accepted step is stored, and an
//! older or equal step is refused. Recovery codes are stored as HMACs keyed from the database
//! key; the TOTP secret lives only inside the encrypted database.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use totp_rs::{Builder, Secret, Totp};
use zeroize::Zeroizing;

use super::{Session, store};
use crate::audit::{AuditAction, AuditEvent, Outcome};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::temporary_password::random_grouped_code;

const RECOVERY_CODES: usize = 10;
/// Wrong codes in one sign-in before the session is ended.
const WRONG_CODES_ALLOWED: u8 = 5;
const ISSUER: &str = "Chartkeep";

enum Accepted {
    Totp(i64),
    RecoveryCode(String),
}

/// Where a session stands with its second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorGate {
    /// Not needed, or already given.
    Passed,
    /// The user has a second factor and must give a code.
    CodeRequired { wrong_codes: u8 },
    /// The user's role requires a second factor and they have none yet.
    EnrolmentRequired,
}

/// What the enrolment screen shows: a QR code and the same secret to type by hand.
#[derive(Debug, Clone, Serialize)]
pub struct TotpEnrolment {
    pub secret_base32: String,
    pub qr_png_base64: String,
}

fn totp_for(secret: &[u8], account: &str) -> ClinicResult<Totp> {
    Builder::new()
        .with_secret(Secret::from(secret.to_vec()))
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .map_err(|_| ClinicError::Internal("The second-factor secret could not be used."))
}

fn unix_seconds(session: &Session) -> u64 {
    u64::try_from(session.clock.now().unix_timestamp()).unwrap_or(0)
}

impl Session {
    pub fn second_factor_gate(&self) -> SecondFactorGate {
        self.second_factor
    }

    /// Decides the gate at sign-in, from what the user has and what their roles require.
    pub(crate) fn decide_second_factor_gate(&mut self) -> ClinicResult<()> {
        let connection = self.vault.connection();
        let enrolled = crate::store::has_second_factor(connection, &self.user.id)?;
        let required = crate::store::second_factor_required(connection, &self.user.roles)?;
        self.second_factor = match (enrolled, required) {
            (true, _) => SecondFactorGate::CodeRequired { wrong_codes: 0 },
            (false, true) => SecondFactorGate::EnrolmentRequired,
            (false, false) => SecondFactorGate::Passed,
        };
        Ok(())
    }

    /// Checks a TOTP code or a recovery code after the password. Wrong codes count against the
    /// account in the same sign-in throttle as wrong passwords (so signing in again does not
    /// reset them), and too many in one sign-in end the session.
    pub fn verify_second_factor(&mut self, code: &str) -> ClinicResult<()> {
        self.check_live()?;
        let SecondFactorGate::CodeRequired { wrong_codes } = self.second_factor else { return Ok(()) };
        self.sign_in_guard()?.check(&self.user.username, self.clock.now())?;
        let accepted = match self.matching_totp_step(code)? {
            Some(step) => Some(Accepted::Totp(step)),
            None => self.matching_recovery_code(code)?.map(Accepted::RecoveryCode),
        };
        let Some(accepted) = accepted else {
            let wrong_codes = wrong_codes + 1;
            self.second_factor = SecondFactorGate::CodeRequired { wrong_codes };
            self.sign_in_guard()?.record_failure(&self.user.username, self.clock.now())?;
            let failure =
                AuditEvent::new(AuditAction::SecondFactorFailed, Outcome::Failed).object("user", &self.user.id);
            self.record(&failure)?;
            if wrong_codes >= WRONG_CODES_ALLOWED {
                self.expired = true;
                return Err(ClinicError::SessionEnded);
            }
            return Err(ClinicError::invalid(
                "code",
                "That code is not right, or it was already used. Try the next one.",
            ));
        };
        let user_id = self.user.id.clone();
        let now = timestamp(self.clock.now());
        let change = self.begin_change()?;
        let kind = match &accepted {
            Accepted::Totp(step) => {
                store::set_last_used_step(change.connection(), &user_id, *step)?;
                "totp"
            }
            Accepted::RecoveryCode(hash) => {
                store::use_recovery_code(change.connection(), &user_id, hash, &now)?;
                "recovery_code"
            }
        };
        change.commit(&AuditEvent::success(AuditAction::SecondFactorVerified).object("user", &user_id).reason(kind))?;
        self.second_factor = SecondFactorGate::Passed;
        self.sign_in_guard()?.clear(&self.user.username, self.clock.now())?;
        Ok(())
    }

    /// The time step a TOTP code matches, if it is right and newer than the last one accepted.
    fn matching_totp_step(&self, code: &str) -> ClinicResult<Option<i64>> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        let stored = store::totp_secret(self.vault.connection(), &self.user.id)?;
        let Some((secret, last_used_step)) = stored else { return Ok(None) };
        let secret = Zeroizing::new(secret);
        let totp = totp_for(&secret, &self.user.username)?;
        let step = totp.check(&code, unix_seconds(self)).map(|step| i64::try_from(step).unwrap_or(i64::MAX));
        Ok(step.filter(|step| *step > last_used_step))
    }

    fn recovery_code_hash(&self, code: &str) -> ClinicResult<String> {
        let normalised: String = code.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase();
        let key = self.vault.practice_key("chartkeep/second-factor-recovery-codes/v1")?;
        // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
        #[allow(clippy::expect_used)]
        let mut mac = Hmac::<Sha256>::new_from_slice(key.as_ref()).expect("HMAC takes any key length");
        mac.update(normalised.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// The stored hash of an unused recovery code equal to `code`, if any.
    fn matching_recovery_code(&self, code: &str) -> ClinicResult<Option<String>> {
        let hash = self.recovery_code_hash(code)?;
        let unused = store::recovery_code_unused(self.vault.connection(), &self.user.id, &hash)?;
        Ok(unused.then_some(hash))
    }

    /// Starts enrolling (or replacing) the signed-in user's second factor. Nothing is stored
    /// until a first code confirms that the authenticator app has the secret.
    pub fn begin_second_factor_enrolment(&mut self) -> ClinicResult<TotpEnrolment> {
        let authorized = self.authorize(Permission::OwnAccount, AuditAction::SecondFactorEnrolled)?;
        let username = authorized.user().username.clone();
        let mut secret = Zeroizing::new(vec![0u8; 20]);
        getrandom::fill(&mut secret).map_err(|_| chartkeep_vault::VaultError::Randomness)?;
        let totp = totp_for(&secret, &username)?;
        let qr_png_base64 =
            totp.to_qr_base64().map_err(|_| ClinicError::Internal("The QR code could not be drawn."))?;
        let enrolment = TotpEnrolment { secret_base32: totp.secret().to_base32(), qr_png_base64 };
        self.pending_enrolment = Some(secret);
        Ok(enrolment)
    }

    /// Confirms the enrolment with a first code; returns the recovery codes, shown once.
    pub fn confirm_second_factor_enrolment(&mut self, code: &str) -> ClinicResult<Vec<String>> {
        self.authorize(Permission::OwnAccount, AuditAction::SecondFactorEnrolled)?;
        let Some(secret) = self.pending_enrolment.clone() else {
            return Err(ClinicError::invalid("code", "Start the enrolment again: no QR code is waiting."));
        };
        let totp = totp_for(&secret, &self.user.username)?;
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(step) = totp.check(&code, unix_seconds(self)) else {
            return Err(ClinicError::invalid(
                "code",
                "That code is not right. Check the time on the phone and try again.",
            ));
        };
        let codes = (0..RECOVERY_CODES).map(|_| random_grouped_code(2, 5)).collect::<ClinicResult<Vec<_>>>()?;
        let hashes: Vec<String> =
            codes.iter().map(|code| self.recovery_code_hash(code)).collect::<ClinicResult<_>>()?;
        let user_id = self.user.id.clone();
        let now = timestamp(self.clock.now());
        let change = self.begin_change()?;
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        store::replace_second_factor(change.connection(), &user_id, &secret, step, &now, &hashes)?;
        change.commit(&AuditEvent::success(AuditAction::SecondFactorEnrolled).object("user", &user_id))?;
        self.pending_enrolment = None;
        self.second_factor = SecondFactorGate::Passed;
        Ok(codes)
    }
}
