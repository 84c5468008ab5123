//! Registering a patient (after the duplicate check), changing a record (every change a new
//! version, never over someone else's change), and marking a record entered in error.

use super::duplicates::{DuplicateProbe, probable_duplicates};
use super::record::{PatientDetails, PatientDraft};
use super::store::{self, PatientRow, VersionChange, VersionStamp};
use super::{DuplicateCandidate, PatientRecord, date_order, record_of, summary_of};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::patients::PatientId;
use crate::permissions::Permission;
use crate::session::{Authorized, Session};

fn probe_of(details: &PatientDetails) -> DuplicateProbe {
    DuplicateProbe {
        family_name: details.family_name.clone(),
        given_names: details.given_names.clone(),
        date_of_birth: details.date_of_birth(),
        phones: details.phones.iter().map(|phone| phone.number.clone()).collect(),
    }
}

/// The probe of a draft that may still be incomplete: whatever is there already.
fn probe_of_draft(authorized: &Authorized<'_>, draft: &PatientDraft) -> ClinicResult<DuplicateProbe> {
    let order = date_order(authorized.connection())?;
    Ok(DuplicateProbe {
        family_name: draft.family_name.trim().to_owned(),
        given_names: draft.given_names.trim().to_owned(),
        date_of_birth: super::dates::parse_typed_date(&draft.date_of_birth, order),
        phones: draft.phones.iter().map(|phone| phone.number.clone()).collect(),
    })
}

fn candidates(
    authorized: &Authorized<'_>,
    probe: &DuplicateProbe,
    itself: Option<u64>,
) -> ClinicResult<Vec<DuplicateCandidate>> {
    let mut found = Vec::new();
    for duplicate in probable_duplicates(authorized.connection(), probe, itself)? {
        if let Some(row) = store::by_number(authorized.connection(), duplicate.number)? {
            let patient = summary_of(authorized.connection(), &row, authorized.now(), None)?;
            found.push(DuplicateCandidate { patient, signs: duplicate.signs });
        }
    }
    Ok(found)
}

fn existing(authorized: &Authorized<'_>, patient_id: &PatientId) -> ClinicResult<PatientRow> {
    match store::by_id(authorized.connection(), patient_id)? {
        Some(row) if !row.entered_in_error && row.merged_into.is_none() => Ok(row),
        Some(row) if row.merged_into.is_some() => Err(ClinicError::invalid(
            "patient",
            "This record was merged into another one. Open that record to change it.",
        )),
        _ => Err(ClinicError::NotFound("That patient")),
    }
}

impl Session {
    /// Probable existing records of the person being typed in, live while the form fills.
    /// Recorded as a search (with the number of matches), never with what was typed.
    pub fn check_for_duplicates(&mut self, draft: &PatientDraft) -> ClinicResult<Vec<DuplicateCandidate>> {
        let mut authorized = self.authorize(Permission::ReadDemographics, AuditAction::Search)?;
        let probe = probe_of_draft(&authorized, draft)?;
        let found = candidates(&authorized, &probe, None)?;
        authorized.record(
            &AuditEvent::success(AuditAction::Search)
                .category("duplicate_check")
                .detail("results", Detail::Count(found.len() as u64)),
        )?;
        Ok(found)
    }

    /// Registers a new patient. When probable duplicates exist, the user must first have
    /// confirmed that this is a new patient despite each of them (`confirmed_new_despite` holds
    /// their ids); otherwise nothing is saved and the answer names them.
    pub fn register_patient(
        &mut self,
        draft: &PatientDraft,
        confirmed_new_despite: &[PatientId],
    ) -> ClinicResult<PatientRecord> {
        let mut authorized = self.authorize(Permission::WriteDemographics, AuditAction::Create)?;
        let now = authorized.now();
        let details = draft.validate(date_order(authorized.connection())?, now.date())?;
        let found = candidates(&authorized, &probe_of(&details), None)?;
        let unconfirmed: Vec<&DuplicateCandidate> =
            found.iter().filter(|candidate| !confirmed_new_despite.contains(&candidate.patient.id)).collect();
        if let Some(first) = unconfirmed.first() {
            let more =
                if unconfirmed.len() > 1 { format!(" and {} more", unconfirmed.len() - 1) } else { String::new() };
            return Err(ClinicError::NeedsConfirmation {
                field: "duplicates",
                message: format!(
                    "This may be a patient who is already registered: MRN {}{more}. Open the existing record, or confirm that this is a new patient.",
                    first.patient.mrn
                ),
            });
        }
        let user_id = authorized.user().id.clone();
        let at = timestamp(now);
        let id = PatientId::generate();
        let change = authorized.begin_change()?;
        let number = store::next_number(change.connection())?;
        let stamp = VersionStamp { change: VersionChange::Registered, reason: None, user_id: &user_id, at: &at };
        store::insert(change.connection(), &id, number, &details, &stamp)?;
        let row =
            store::by_id(change.connection(), &id)?.ok_or(ClinicError::Internal("The new patient was not saved."))?;
        let record = record_of(change.connection(), row, now, None)?;
        change.commit(
            &AuditEvent::success(AuditAction::Create)
                .patient(&id)
                .object("patient", &id)
                .category("demographics")
                .detail("duplicate_candidates", Detail::Count(found.len() as u64))
                .detail("confirmed_new", Detail::Flag(!found.is_empty())),
        )?;
        Ok(record)
    }

    /// Saves a change as a new version. `expected_version` is the version the user edited: if
    /// someone saved another since, nothing is saved.
    pub fn update_patient(
        &mut self,
        patient_id: &PatientId,
        expected_version: u32,
        draft: &PatientDraft,
    ) -> ClinicResult<PatientRecord> {
        let mut authorized =
            self.authorize_for_patient(Permission::WriteDemographics, patient_id, AuditAction::Update)?;
        let row = existing(&authorized, patient_id)?;
        if row.version != expected_version {
            return Err(ClinicError::StaleRecord);
        }
        let now = authorized.now();
        let details = draft.validate(date_order(authorized.connection())?, now.date())?;
        let changed = details.changed_fields(&row.details);
        if changed.is_empty() {
            return record_of(authorized.connection(), row, now, None);
        }
        let user_id = authorized.user().id.clone();
        let at = timestamp(now);
        let change = authorized.begin_change()?;
        let stamp = VersionStamp { change: VersionChange::Updated, reason: None, user_id: &user_id, at: &at };
        store::update(change.connection(), &row, &details, &stamp)?;
        let updated = store::by_id(change.connection(), patient_id)?.ok_or(ClinicError::NotFound("That patient"))?;
        let record = record_of(change.connection(), updated, now, None)?;
        change.commit(
            &AuditEvent::success(AuditAction::Update)
                .patient(patient_id)
                .object("patient", patient_id)
                .category("demographics")
                .detail("fields", Detail::Fields(changed)),
        )?;
        Ok(record)
    }

    /// Marks a record registered by mistake as entered in error, with a reason. It leaves the
    /// default views; its History stays, for the Owner.
    pub fn mark_patient_entered_in_error(
        &mut self,
        patient_id: &PatientId,
        expected_version: u32,
        reason: &str,
    ) -> ClinicResult<()> {
        let mut authorized =
            self.authorize_for_patient(Permission::WriteDemographics, patient_id, AuditAction::EnteredInError)?;
        let row = existing(&authorized, patient_id)?;
        if row.version != expected_version {
            return Err(ClinicError::StaleRecord);
        }
        let reason = reason.trim();
        if reason.chars().count() < 5 || reason.chars().count() > 500 {
            return Err(ClinicError::invalid(
                "reason",
                "Say why this record was entered in error (5 to 500 characters).",
            ));
        }
        let user_id = authorized.user().id.clone();
        let at = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        let stamp =
            VersionStamp { change: VersionChange::EnteredInError, reason: Some(reason), user_id: &user_id, at: &at };
        store::update(change.connection(), &row, &row.details, &stamp)?;
        change.commit(
            &AuditEvent::success(AuditAction::EnteredInError)
                .patient(patient_id)
                .object("patient", patient_id)
                .category("demographics"),
        )?;
        Ok(())
    }
}
