//! The accounting of disclosures: what left the practice about a patient, when, to whom and why.
//! Rows are never changed (the table's triggers refuse it); a correction is a new row that names
//! the row it corrects and why, and the original stays as it was.

use crate::patients::PatientId;
use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::Session;
use crate::validation::{past_date, required_text};

mod store;

use store::by_id;
pub(crate) use store::disclosures_between;

/// A disclosure as the user enters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisclosure {
    /// The day it happened, `YYYY-MM-DD`.
    pub disclosed_on: String,
    pub recipient: String,
    pub purpose: String,
    /// What was disclosed, e.g. "discharge letter and medication list".
    pub information: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    pub id: String,
    pub patient_id: PatientId,
    pub disclosed_on: String,
    pub recipient: String,
    pub purpose: String,
    pub information: String,
    /// The disclosure this one corrects, and why.
    pub corrects_id: Option<String>,
    pub correction_reason: Option<String>,
    /// Whether a later row corrects this one.
    pub corrected: bool,
    /// Who recorded it: full name and username.
    pub recorded_by: String,
    pub recorded_at: String,
}

struct CheckedDisclosure {
    disclosed_on: String,
    recipient: String,
    purpose: String,
    information: String,
}

fn checked(new: &NewDisclosure, today: time::Date) -> ClinicResult<CheckedDisclosure> {
    Ok(CheckedDisclosure {
        disclosed_on: past_date("disclosed_on", "date of the disclosure", &new.disclosed_on, today)?,
        recipient: required_text("recipient", "recipient", &new.recipient, 200)?,
        purpose: required_text("purpose", "purpose", &new.purpose, 500)?,
        information: required_text("information", "information disclosed", &new.information, 2000)?,
    })
}

impl Session {
    /// Records a disclosure of a patient's information.
    pub fn record_disclosure(&mut self, patient_id: &PatientId, new: &NewDisclosure) -> ClinicResult<Disclosure> {
        self.add_disclosure(patient_id, new, None)
    }

    /// Records a correction of a disclosure: a new row naming the original and why. The
    /// original is kept unchanged, and can be corrected once.
    pub fn correct_disclosure(
        &mut self,
        original_id: &str,
        new: &NewDisclosure,
        reason: &str,
    ) -> ClinicResult<Disclosure> {
        let patient_id = {
            let authorized = self.authorize(Permission::RecordDisclosure, AuditAction::Update)?;
            let original =
                by_id(authorized.connection(), original_id)?.ok_or(ClinicError::NotFound("That disclosure"))?;
            if original.corrected {
                return Err(ClinicError::invalid(
                    "reason",
                    "This disclosure was corrected already; correct the correction.",
                ));
            }
            original.patient_id
        };
        let reason = required_text("reason", "reason for the correction", reason, 500)?;
        self.add_disclosure(&patient_id, new, Some((original_id, &reason)))
    }

    fn add_disclosure(
        &mut self,
        patient_id: &PatientId,
        new: &NewDisclosure,
        correction: Option<(&str, &str)>,
    ) -> ClinicResult<Disclosure> {
        let action = if correction.is_some() { AuditAction::Update } else { AuditAction::Create };
        let mut authorized = self.authorize_for_patient(Permission::RecordDisclosure, patient_id, action)?;
        if !crate::store::patient_exists(authorized.connection(), patient_id)? {
            return Err(ClinicError::NotFound("That patient"));
        }
        let now = authorized.now();
        let fields = checked(new, now.date())?;
        let id = uuid::Uuid::new_v4().to_string();
        let user_id = authorized.user().id.clone();
        let change = authorized.begin_change()?;
        store::insert(change.connection(), &id, patient_id, &fields, correction, &user_id, &timestamp(now))?;
        let disclosure =
            by_id(change.connection(), &id)?.ok_or(ClinicError::Internal("The disclosure was not saved."))?;
        let mut event =
            AuditEvent::success(action).patient(patient_id).object("disclosure", &id).category("disclosures");
        if let Some((original, _)) = correction {
            event = event.detail("corrects", Detail::Identifier(original.to_owned()));
        }
        change.commit(&event)?;
        Ok(disclosure)
    }

    /// A patient's disclosures, oldest first, corrections beside what they correct.
    pub fn patient_disclosures(&mut self, patient_id: &PatientId) -> ClinicResult<Vec<Disclosure>> {
        let mut authorized = self.authorize_for_patient(Permission::RecordDisclosure, patient_id, AuditAction::View)?;
        let all = disclosures_between(authorized.connection(), patient_id, "0000-01-01", "9999-12-31")?;
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .patient(patient_id)
                .category("disclosures")
                .detail("count", Detail::Count(all.len() as u64)),
        )?;
        Ok(all)
    }
}
