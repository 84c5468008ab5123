//! Emergency ("break-glass") access: a user whose roles do not let them read a chart can open
//! one patient's record for a limited time after typing why. Everything they do under it is
//! audited with the break-glass flag and the access's id; the typed reason stays in the access
//! record (it may describe the patient's situation). The Owner reviews each access afterwards.

use crate::patients::PatientId;
use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, Detail, Outcome};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::{Permission, is_allowed};
use crate::session::Session;

pub(crate) mod store;

const REASON_MIN_CHARS: usize = 10;
const REASON_MAX_CHARS: usize = 500;
const COMMENT_MAX_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmergencyAccess {
    pub id: String,
    pub patient_id: PatientId,
    pub expires_at: String,
}

/// An access waiting for the Owner's review.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct EmergencyAccessForReview {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub patient_id: PatientId,
    /// "Family, Given (MRN …)", for the reviewer to know whose record was opened.
    pub patient_label: Option<String>,
    pub reason: String,
    pub started_at: String,
    pub expires_at: String,
}

impl std::fmt::Debug for EmergencyAccessForReview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmergencyAccessForReview").field("id", &self.id).finish_non_exhaustive()
    }
}

fn checked_text(field: &'static str, text: &str, min: usize, max: usize, message: &str) -> ClinicResult<String> {
    let text = text.trim();
    let length = text.chars().count();
    if length < min || length > max {
        return Err(ClinicError::invalid(field, message));
    }
    Ok(text.to_owned())
}

impl Session {
    /// Starts an emergency access to one patient. Refused to users who can read charts anyway
    /// and to roles the Owner has not allowed it.
    pub fn request_emergency_access(&mut self, patient_id: &PatientId, reason: &str) -> ClinicResult<EmergencyAccess> {
        let mut authorized = self.authorize(Permission::RequestEmergencyAccess, AuditAction::EmergencyAccessStarted)?;
        let roles = authorized.user().roles.clone();
        if is_allowed(&roles, Permission::ReadChart) {
            return Err(ClinicError::invalid("patient", "You can open this chart without emergency access."));
        }
        let reason = checked_text(
            "reason",
            reason,
            REASON_MIN_CHARS,
            REASON_MAX_CHARS,
            "Say in a sentence why you need this chart now (10 to 500 characters).",
        )?;
        let settings = crate::store::access_settings(authorized.connection())?;
        let allowed =
            settings.role_policies.iter().any(|policy| roles.contains(&policy.role) && policy.emergency_access_allowed);
        if !allowed {
            authorized.record(
                &AuditEvent::new(AuditAction::EmergencyAccessStarted, Outcome::Denied)
                    .patient(patient_id)
                    .reason("emergency_access_not_allowed_for_role"),
            )?;
            return Err(ClinicError::Forbidden);
        }
        if !crate::store::patient_exists(authorized.connection(), patient_id)? {
            return Err(ClinicError::NotFound("That patient"));
        }
        let now = authorized.now();
        let minutes = i64::from(settings.emergency_access_minutes);
        let access = EmergencyAccess {
            id: uuid::Uuid::new_v4().to_string(),
            patient_id: patient_id.to_owned(),
            expires_at: timestamp(now + time::Duration::minutes(minutes)),
        };
        let user_id = authorized.user().id.clone();
        let change = authorized.begin_change()?;
        store::insert(change.connection(), &access, &user_id, &reason, &timestamp(now))?;
        change.commit(
            &AuditEvent::success(AuditAction::EmergencyAccessStarted)
                .patient(patient_id)
                .object("emergency_access", &access.id)
                .detail("minutes", Detail::Count(minutes.unsigned_abs()))
                .stated_reason(&reason)
                .under_emergency_access(&access.id),
        )?;
        tracing::warn!("an emergency access was started");
        Ok(access)
    }

    /// The emergency accesses the Owner has not reviewed yet, oldest first.
    pub fn unreviewed_emergency_accesses(&mut self) -> ClinicResult<Vec<EmergencyAccessForReview>> {
        let mut authorized = self.authorize(Permission::ReviewEmergencyAccess, AuditAction::View)?;
        let accesses = store::unreviewed(authorized.connection())?;
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .category("emergency_access_reviews")
                .detail("count", Detail::Count(accesses.len() as u64)),
        )?;
        Ok(accesses)
    }

    /// Marks an emergency access reviewed, with the Owner's comment.
    pub fn review_emergency_access(&mut self, access_id: &str, comment: &str) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::ReviewEmergencyAccess, AuditAction::EmergencyAccessReviewed)?;
        let comment =
            checked_text("comment", comment, 1, COMMENT_MAX_CHARS, "Write a short comment (at most 1000 characters).")?;
        let reviewer = authorized.user().id.clone();
        let requested_by = store::requested_by(authorized.connection(), access_id)?;
        if requested_by.as_deref() == Some(reviewer.as_str()) {
            return Err(ClinicError::invalid(
                "comment",
                "Your own emergency access is reviewed by someone else: another owner or the privacy officer.",
            ));
        }
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        if !store::mark_reviewed(change.connection(), access_id, &reviewer, &now, &comment)? {
            return Err(ClinicError::NotFound("That unreviewed emergency access"));
        }
        change
            .commit(&AuditEvent::success(AuditAction::EmergencyAccessReviewed).object("emergency_access", access_id))?;
        Ok(())
    }
}
