//! Reading patients: the search box, opening a record (a merged record's MRN leads to the
//! record it was merged into), and History. Every read is recorded: a search with its number of
//! results (never its text), an opened record as a view.

use super::search::find;
use super::store;
use super::{PatientRecord, PatientSearchResults, PatientSummary, PatientVersion, date_order, record_of, summary_of};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::error::{ClinicError, ClinicResult};
use crate::patients::PatientId;
use crate::permissions::{Permission, is_allowed};
use crate::session::Session;

/// How many results one search shows.
pub const SEARCH_LIMIT: usize = 25;

impl Session {
    /// The front desk's search box: a name, a date of birth, a phone number or an MRN.
    pub fn search_patients(&mut self, query: &str) -> ClinicResult<PatientSearchResults> {
        let mut authorized = self.authorize(Permission::ReadDemographics, AuditAction::Search)?;
        let order = date_order(authorized.connection())?;
        let hits = find(authorized.connection(), query, order, SEARCH_LIMIT + 1)?;
        let more = hits.numbers.len() > SEARCH_LIMIT;
        let now = authorized.now();
        let mut patients: Vec<PatientSummary> = Vec::new();
        for number in hits.numbers.into_iter().take(SEARCH_LIMIT) {
            let Some(row) = store::by_number(authorized.connection(), number)? else { continue };
            let through_alias = row.merged_into.is_some().then(|| row.mrn.clone());
            let survivor = store::survivor_of(authorized.connection(), row)?;
            if survivor.entered_in_error || patients.iter().any(|shown| shown.id == survivor.id) {
                continue;
            }
            patients.push(summary_of(authorized.connection(), &survivor, now, through_alias)?);
        }
        authorized.record(
            &AuditEvent::success(AuditAction::Search)
                .category("patients")
                .reason(hits.kind.as_str())
                .detail("results", Detail::Count(patients.len() as u64)),
        )?;
        Ok(PatientSearchResults { kind: hits.kind, patients, more })
    }

    /// Opens a patient's record (a view of their demographics). A merged record leads to the
    /// record it was merged into. `context` says where it was opened from, e.g. "search" or
    /// "duplicate_warning" (a fixed code, kept in the audit trail).
    pub fn open_patient(&mut self, patient_id: &PatientId, context: &'static str) -> ClinicResult<PatientRecord> {
        let (survivor, through_alias) = {
            let authorized = self.authorize_for_patient(Permission::ReadDemographics, patient_id, AuditAction::View)?;
            let row =
                store::by_id(authorized.connection(), patient_id)?.ok_or(ClinicError::NotFound("That patient"))?;
            let through_alias = row.merged_into.is_some().then(|| row.mrn.clone());
            (store::survivor_of(authorized.connection(), row)?, through_alias)
        };
        let mut authorized =
            self.authorize_for_patient(Permission::ReadDemographics, &survivor.id, AuditAction::View)?;
        if survivor.entered_in_error {
            return Err(ClinicError::NotFound("That patient"));
        }
        let now = authorized.now();
        let survivor_id = survivor.id.clone();
        let record = record_of(authorized.connection(), survivor, now, through_alias.clone())?;
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .patient(&survivor_id)
                .object("patient", &survivor_id)
                .category("demographics")
                .reason(context)
                .detail("through_alias", Detail::Flag(through_alias.is_some())),
        )?;
        Ok(record)
    }

    /// Every version of a record with who changed what and when. A record entered in error is
    /// gone from the default views; its History is the Owner's to see (and only its History).
    pub fn patient_history(&mut self, patient_id: &PatientId) -> ClinicResult<Vec<PatientVersion>> {
        let roles = self.user().roles.clone();
        let reviews_only =
            is_allowed(&roles, Permission::ReviewEnteredInError) && !is_allowed(&roles, Permission::ReadDemographics);
        let permission = if reviews_only { Permission::ReviewEnteredInError } else { Permission::ReadDemographics };
        let mut authorized = self.authorize_for_patient(permission, patient_id, AuditAction::View)?;
        let row = store::by_id(authorized.connection(), patient_id)?.ok_or(ClinicError::NotFound("That patient"))?;
        let may_see =
            if row.entered_in_error { is_allowed(&roles, Permission::ReviewEnteredInError) } else { !reviews_only };
        if !may_see {
            return Err(ClinicError::NotFound("That patient"));
        }
        let stored = store::versions(authorized.connection(), patient_id)?;
        let mut versions: Vec<PatientVersion> = Vec::with_capacity(stored.len());
        for (index, version) in stored.iter().enumerate() {
            let changed_fields = match index {
                0 => Vec::new(),
                _ => version.details.changed_fields(&stored[index - 1].details),
            };
            versions.push(PatientVersion {
                version: version.version,
                change: version.change,
                reason: version.reason.clone(),
                changed_by: version.changed_by.clone(),
                changed_at: version.changed_at.clone(),
                changed_fields,
                details: version.details.clone(),
            });
        }
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .patient(patient_id)
                .object("patient", patient_id)
                .category("patient_history")
                .detail("versions", Detail::Count(versions.len() as u64)),
        )?;
        Ok(versions)
    }

    /// Records entered in error, for the Owner: they are in no other list.
    pub fn entered_in_error_patients(&mut self) -> ClinicResult<Vec<PatientSummary>> {
        let mut authorized = self.authorize(Permission::ReviewEnteredInError, AuditAction::View)?;
        let ids = store::entered_in_error_ids(authorized.connection(), 500)?;
        let now = authorized.now();
        let mut patients = Vec::new();
        for id in ids {
            if let Some(row) = store::by_id(authorized.connection(), &id)? {
                patients.push(summary_of(authorized.connection(), &row, now, None)?);
            }
        }
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .category("entered_in_error_records")
                .detail("count", Detail::Count(patients.len() as u64)),
        )?;
        Ok(patients)
    }
}
