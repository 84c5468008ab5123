//! Merging a duplicate into the record that survives, and undoing it. A merged record becomes an
//! alias: it points at the survivor, search still finds it (its MRN leads to the survivor), and
//! everything that belongs to it is read as the survivor's. Nothing is moved or rewritten, so an
//! unmerge gives both records back exactly as they were.

use crate::patients::PatientId;
use serde::Serialize;

use super::store::merges::{self as merges_store, merges_where};
use super::store::{self, PatientRow};
use super::{PatientRecord, PatientSummary, record_of, summary_of};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::{Permission, is_allowed};
use crate::session::{Authorized, Session};

/// A merge, with both records named so the Owner can tell which is which.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PatientMerge {
    pub id: String,
    pub survivor_id: PatientId,
    pub survivor_mrn: String,
    /// "Family, Given" as the record reads now.
    pub survivor_name: String,
    pub merged_id: PatientId,
    pub merged_mrn: String,
    pub merged_name: String,
    /// "Full name (username)" of the person who merged.
    pub merged_by: String,
    pub merged_at: String,
    pub unmerged_by: Option<String>,
    pub unmerged_at: Option<String>,
}

impl std::fmt::Debug for PatientMerge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatientMerge").field("id", &self.id).finish_non_exhaustive()
    }
}

/// A record on the duplicate review list, beside the record the import found it resembling.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateReviewItem {
    pub flagged: PatientSummary,
    /// The existing patient, or the record made from an earlier row of the same file (followed
    /// to its survivor if it was merged since); `None` for flags from before this was kept.
    pub resembles: Option<PatientSummary>,
}

impl std::fmt::Debug for DuplicateReviewItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DuplicateReviewItem([redacted])")
    }
}

fn mergeable(authorized: &Authorized<'_>, patient_id: &PatientId) -> ClinicResult<PatientRow> {
    let row = store::by_id(authorized.connection(), patient_id)?.ok_or(ClinicError::NotFound("That patient"))?;
    if row.entered_in_error {
        return Err(ClinicError::invalid("patient", "A record entered in error cannot take part in a merge."));
    }
    if row.merged_into.is_some() {
        return Err(ClinicError::invalid("patient", "This record was merged already; unmerge it first."));
    }
    Ok(row)
}

impl Session {
    /// Both records side by side, to decide which survives.
    pub fn merge_preview(
        &mut self,
        survivor_id: &PatientId,
        duplicate_id: &PatientId,
    ) -> ClinicResult<(PatientRecord, PatientRecord)> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::View)?;
        let now = authorized.now();
        let survivor = record_of(authorized.connection(), mergeable(&authorized, survivor_id)?, now, None)?;
        let duplicate = record_of(authorized.connection(), mergeable(&authorized, duplicate_id)?, now, None)?;
        let viewed = |id: &PatientId| {
            AuditEvent::success(AuditAction::View).patient(id).category("demographics").reason("merge_preview")
        };
        let mut change = authorized.begin_change()?;
        change.also_record(&viewed(survivor_id))?;
        change.commit(&viewed(duplicate_id))?;
        Ok((survivor, duplicate))
    }

    /// Merges `duplicate_id` into `survivor_id`.
    pub fn merge_patients(&mut self, survivor_id: &PatientId, duplicate_id: &PatientId) -> ClinicResult<PatientMerge> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::Merge)?;
        if survivor_id == duplicate_id {
            return Err(ClinicError::invalid("patient", "Choose two different records."));
        }
        mergeable(&authorized, survivor_id)?;
        mergeable(&authorized, duplicate_id)?;
        let merge_id = uuid::Uuid::new_v4().to_string();
        let merged_by = authorized.user().id.clone();
        let merged_at = timestamp(authorized.now());
        let mut change = authorized.begin_change()?;
        merges_store::merge(change.connection(), &merge_id, survivor_id, duplicate_id, &merged_by, &merged_at)?;
        let merge = merges_where(change.connection(), "m.id = ?1", &merge_id)?
            .pop()
            .ok_or(ClinicError::Internal("The merge just saved cannot be read back."))?;
        change.also_record(
            &AuditEvent::success(AuditAction::Merge)
                .patient(duplicate_id)
                .object("patient_merge", &merge.id)
                .category("demographics")
                .detail("merged_into", Detail::Identifier(survivor_id.to_string())),
        )?;
        change.commit(
            &AuditEvent::success(AuditAction::Merge)
                .patient(survivor_id)
                .object("patient_merge", &merge.id)
                .category("demographics")
                .detail("merged_patient", Detail::Identifier(duplicate_id.to_string())),
        )?;
        Ok(merge)
    }

    /// Undoes a merge: the merged record stands on its own again, as it was.
    pub fn unmerge_patients(&mut self, merge_id: &str) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::Unmerge)?;
        let found = merges_store::merge_parties(authorized.connection(), merge_id)?;
        let Some((survivor_id, merged_id, None)) = found else {
            return Err(ClinicError::NotFound("That merge (or it was undone already)"));
        };
        let user_id = authorized.user().id.clone();
        let now = timestamp(authorized.now());
        let mut change = authorized.begin_change()?;
        if !merges_store::unmerge(change.connection(), merge_id, &survivor_id, &merged_id, &user_id, &now)? {
            return Err(ClinicError::Internal("The merged record no longer points at its survivor."));
        }
        change.also_record(
            &AuditEvent::success(AuditAction::Unmerge)
                .patient(&merged_id)
                .object("patient_merge", merge_id)
                .category("demographics"),
        )?;
        change.commit(
            &AuditEvent::success(AuditAction::Unmerge)
                .patient(&survivor_id)
                .object("patient_merge", merge_id)
                .category("demographics"),
        )?;
        Ok(())
    }

    /// The merges a record took part in, newest first (for History and for undoing one). The
    /// Owner, who merges, may list them without reading patients otherwise.
    pub fn patient_merges(&mut self, patient_id: &PatientId) -> ClinicResult<Vec<PatientMerge>> {
        let mut authorized = if is_allowed(&self.user().roles, Permission::MergePatients) {
            self.authorize(Permission::MergePatients, AuditAction::View)?
        } else {
            self.authorize_for_patient(Permission::ReadDemographics, patient_id, AuditAction::View)?
        };
        let merges =
            merges_where(authorized.connection(), "m.survivor_id = ?1 OR m.merged_id = ?1", patient_id.as_str())?;
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .patient(patient_id)
                .category("demographics")
                .reason("merges")
                .detail("count", Detail::Count(merges.len() as u64)),
        )?;
        Ok(merges)
    }

    /// Finds a record by its MRN for the Owner to compare and merge (the Owner reads patients
    /// only for merging). An alias's MRN leads to the record it was merged into.
    pub fn patient_for_merge(&mut self, mrn: &str) -> ClinicResult<PatientSummary> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::View)?;
        let number = super::search_keys::number_of_mrn(mrn)
            .ok_or_else(|| ClinicError::invalid("mrn", "That is not an MRN: check the digits."))?;
        let row = store::by_number(authorized.connection(), number)?
            .filter(|row| !row.entered_in_error)
            .ok_or(ClinicError::NotFound("A patient with that MRN"))?;
        let row = store::survivor_of(authorized.connection(), row)?;
        let summary = summary_of(authorized.connection(), &row, authorized.now(), None)?;
        authorized.record(
            &AuditEvent::success(AuditAction::View).patient(&row.id).category("demographics").reason("merge_lookup"),
        )?;
        Ok(summary)
    }

    /// Records flagged for a duplicate check (by an import), each beside the record it
    /// resembles, for the Owner to merge or dismiss.
    pub fn duplicate_review_queue(&mut self) -> ClinicResult<Vec<DuplicateReviewItem>> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::View)?;
        let flagged = merges_store::flagged_for_review(authorized.connection(), 500)?;
        let now = authorized.now();
        let mut queue = Vec::new();
        for (number, resembles_id) in flagged {
            let connection = authorized.connection();
            let Some(row) = store::by_number(connection, number)? else { continue };
            let resembles = match resembles_id {
                Some(id) => match store::by_id(connection, &id)? {
                    Some(other) => Some(store::survivor_of(connection, other)?),
                    None => None,
                },
                None => None,
            };
            let resembles = match resembles.filter(|other| other.id != row.id) {
                Some(other) => Some(summary_of(connection, &other, now, None)?),
                None => None,
            };
            queue.push(DuplicateReviewItem { flagged: summary_of(connection, &row, now, None)?, resembles });
        }
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .category("duplicate_review")
                .detail("count", Detail::Count(queue.len() as u64)),
        )?;
        Ok(queue)
    }

    /// Takes a record off the duplicate review queue: it is a different person.
    pub fn dismiss_duplicate_review(&mut self, patient_id: &PatientId) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::Update)?;
        let change = authorized.begin_change()?;
        if !merges_store::dismiss_review(change.connection(), patient_id)? {
            return Err(ClinicError::NotFound("That record on the review list"));
        }
        change.commit(
            &AuditEvent::success(AuditAction::Update)
                .patient(patient_id)
                .category("duplicate_review")
                .reason("not_a_duplicate"),
        )?;
        Ok(())
    }
}
