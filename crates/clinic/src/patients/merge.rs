//! Merging a duplicate into the record that survives, and undoing it. A merged record becomes an
//! alias: it points at the survivor, search still finds it (its MRN leads to the survivor), and
//! everything that belongs to it is read as the survivor's. Nothing is moved or rewritten, so an
//! unmerge gives both records back exactly as they were.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::store::{self, PatientRow};
use super::{PatientRecord, PatientSummary, record_of, summary_of};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::{Authorized, Session};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientMerge {
    pub id: String,
    pub survivor_id: String,
    pub merged_id: String,
    pub merged_by: String,
    pub merged_at: String,
    pub unmerged_at: Option<String>,
}

fn mergeable(authorized: &Authorized<'_>, patient_id: &str) -> ClinicResult<PatientRow> {
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
        survivor_id: &str,
        duplicate_id: &str,
    ) -> ClinicResult<(PatientRecord, PatientRecord)> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::View)?;
        let now = authorized.now();
        let survivor = record_of(authorized.connection(), mergeable(&authorized, survivor_id)?, now, None)?;
        let duplicate = record_of(authorized.connection(), mergeable(&authorized, duplicate_id)?, now, None)?;
        let viewed = |id: &str| {
            AuditEvent::success(AuditAction::View).patient(id).category("demographics").reason("merge_preview")
        };
        let mut change = authorized.begin_change()?;
        change.also_record(&viewed(survivor_id))?;
        change.commit(&viewed(duplicate_id))?;
        Ok((survivor, duplicate))
    }

    /// Merges `duplicate_id` into `survivor_id`.
    pub fn merge_patients(&mut self, survivor_id: &str, duplicate_id: &str) -> ClinicResult<PatientMerge> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::Merge)?;
        if survivor_id == duplicate_id {
            return Err(ClinicError::invalid("patient", "Choose two different records."));
        }
        mergeable(&authorized, survivor_id)?;
        mergeable(&authorized, duplicate_id)?;
        let merge = PatientMerge {
            id: uuid::Uuid::new_v4().to_string(),
            survivor_id: survivor_id.to_owned(),
            merged_id: duplicate_id.to_owned(),
            merged_by: authorized.user().id.clone(),
            merged_at: timestamp(authorized.now()),
            unmerged_at: None,
        };
        let mut change = authorized.begin_change()?;
        change
            .connection()
            .execute("UPDATE patients SET merged_into = ?2 WHERE id = ?1", params![duplicate_id, survivor_id])?;
        change.connection().execute(
            "INSERT INTO patient_merges (id, survivor_id, merged_id, merged_by, merged_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![merge.id, merge.survivor_id, merge.merged_id, merge.merged_by, merge.merged_at],
        )?;
        change.also_record(
            &AuditEvent::success(AuditAction::Merge)
                .patient(duplicate_id)
                .object("patient_merge", &merge.id)
                .category("demographics")
                .detail("merged_into", Detail::Identifier(survivor_id.to_owned())),
        )?;
        change.commit(
            &AuditEvent::success(AuditAction::Merge)
                .patient(survivor_id)
                .object("patient_merge", &merge.id)
                .category("demographics")
                .detail("merged_patient", Detail::Identifier(duplicate_id.to_owned())),
        )?;
        Ok(merge)
    }

    /// Undoes a merge: the merged record stands on its own again, as it was.
    pub fn unmerge_patients(&mut self, merge_id: &str) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::Unmerge)?;
        let found: Option<(String, String, Option<String>)> = authorized
            .connection()
            .query_row(
                "SELECT survivor_id, merged_id, unmerged_at FROM patient_merges WHERE id = ?1",
                [merge_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        let Some((survivor_id, merged_id, None)) = found else {
            return Err(ClinicError::NotFound("That merge (or it was undone already)"));
        };
        let user_id = authorized.user().id.clone();
        let now = timestamp(authorized.now());
        let mut change = authorized.begin_change()?;
        let restored = change.connection().execute(
            "UPDATE patients SET merged_into = NULL WHERE id = ?1 AND merged_into = ?2",
            params![merged_id, survivor_id],
        )?;
        if restored != 1 {
            return Err(ClinicError::Internal("The merged record no longer points at its survivor."));
        }
        change.connection().execute(
            "UPDATE patient_merges SET unmerged_by = ?2, unmerged_at = ?3 WHERE id = ?1",
            params![merge_id, user_id, now],
        )?;
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

    /// The merges a record took part in, newest first (for History and for undoing one).
    pub fn patient_merges(&mut self, patient_id: &str) -> ClinicResult<Vec<PatientMerge>> {
        let authorized = self.authorize_for_patient(Permission::ReadDemographics, patient_id, AuditAction::View)?;
        let mut statement = authorized.connection().prepare(
            "SELECT m.id, m.survivor_id, m.merged_id, u.full_name || ' (' || u.username || ')', m.merged_at, m.unmerged_at
             FROM patient_merges m JOIN users u ON u.id = m.merged_by
             WHERE m.survivor_id = ?1 OR m.merged_id = ?1 ORDER BY m.merged_at DESC",
        )?;
        let merges = statement
            .query_map([patient_id], |row| {
                Ok(PatientMerge {
                    id: row.get(0)?,
                    survivor_id: row.get(1)?,
                    merged_id: row.get(2)?,
                    merged_by: row.get(3)?,
                    merged_at: row.get(4)?,
                    unmerged_at: row.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(merges)
    }

    /// Records flagged for a duplicate check (by an import), for the Owner to merge or dismiss.
    pub fn duplicate_review_queue(&mut self) -> ClinicResult<Vec<PatientSummary>> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::View)?;
        let numbers: Vec<i64> = authorized
            .connection()
            .prepare(
                "SELECT number FROM patients WHERE needs_duplicate_review = 1 AND merged_into IS NULL
                 AND entered_in_error = 0 ORDER BY family_name, given_names LIMIT 500",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let now = authorized.now();
        let mut queue = Vec::new();
        for number in numbers {
            if let Some(row) = store::by_number(authorized.connection(), number.unsigned_abs())? {
                queue.push(summary_of(authorized.connection(), &row, now, None)?);
            }
        }
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .category("duplicate_review")
                .detail("count", Detail::Count(queue.len() as u64)),
        )?;
        Ok(queue)
    }

    /// Takes a record off the duplicate review queue: it is a different person.
    pub fn dismiss_duplicate_review(&mut self, patient_id: &str) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::MergePatients, AuditAction::Update)?;
        let change = authorized.begin_change()?;
        let updated = change.connection().execute(
            "UPDATE patients SET needs_duplicate_review = 0 WHERE id = ?1 AND needs_duplicate_review = 1",
            [patient_id],
        )?;
        if updated != 1 {
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
